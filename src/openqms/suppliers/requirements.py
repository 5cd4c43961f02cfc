"""The supplier register's user requirements (issue 14): what a user relies on, with the
clauses each serves and its GAMP 5 style risk. Ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

H, M, L = Risk.HIGH, Risk.MEDIUM, Risk.LOW
PQ, PS, DI = Impact.PRODUCT_QUALITY, Impact.PATIENT_SAFETY, Impact.DATA_INTEGRITY

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "SUP-001",
        "A QA lead adds a supplier as new with what it supplies, its category and its "
        "criticality with the rationale, and the whole record is audited.",
        ("ISO 13485 7.4.1", "21 CFR 11.10(e)", "Annex 11 9"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "SUP-002",
        "A supplier with a missing or bad field, or the name of another supplier, is refused "
        "naming the field, and nothing is added.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ, DI),
    ),
    Requirement(
        "SUP-003",
        "Only holders of suppliers.supplier:manage add, edit, retire and evaluate "
        "suppliers; anyone else is refused and nothing changes.",
        ("21 CFR 11.10(d)", "21 CFR 11.10(g)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "SUP-004",
        "Everyone with a role reads the supplier list and each supplier; someone with no "
        "rights sees nothing, and a forbidden form looks like a missing page (404).",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "SUP-005",
        "Editing a supplier records only the fields that changed and why.",
        ("ISO 13485 7.4.1", "21 CFR 11.10(e)"),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-006",
        "A supplier is retired with a reason, never deleted; a retired supplier keeps its "
        "record and cannot be edited.",
        ("ISO 13485 4.2.5", "ISO 13485 7.4.1"),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-007",
        "An evaluation scores every seeded criterion from 1 to 5 and recommends a decision; "
        "a missing score names its criterion, and a score out of range or an unknown "
        "recommendation is refused.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-008",
        "Recommending approval against low scores needs a justification, which is kept.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-009",
        "One evaluation awaits its decision at a time; an evaluation is withdrawn with a "
        "reason and kept.",
        ("ISO 13485 7.4.1", "ISO 13485 4.2.5"),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-010",
        "The decision (approved, conditionally approved, disqualified) is signed through "
        "core's signed step by someone with suppliers.evaluation:approve other than the "
        "evaluator; a wrong password or a dialog shown for another choice signs nothing.",
        ("ISO 13485 7.4.1", "21 CFR 11.50", "21 CFR 11.70", "21 CFR 11.200(a)", "Annex 11 14"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "SUP-011",
        "A signed decision sets the supplier's status and its next re-evaluation date from "
        "the criticality (none for a disqualified supplier); conditions are kept on the "
        "supplier.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-012",
        "A decision missing its conditions or reason is refused before the password, and a "
        "decided evaluation is never decided again.",
        ("ISO 13485 7.4.1", "21 CFR 11.10(f)"),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-013",
        "A re-evaluation is brought forward with a reason and never put off.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-014",
        "The re-evaluation interval is configured per criticality and used by the next "
        "decision; a changed criticality recounts the date from the last decision.",
        ("ISO 13485 7.4.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-015",
        "Supplier certificates are added with their file, audited, retired once with a "
        "reason, and expired ones say so in words.",
        ("ISO 13485 7.4.1", "ISO 13485 4.1.5"),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-016",
        "Performance records per period keep deliveries on time and lots rejected with their "
        "rates; impossible figures are refused and a wrong record is withdrawn, not deleted.",
        ("ISO 13485 7.4.1", "ISO 13485 8.4"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "SUP-017",
        "Re-evaluations due soon are reminded once to those who keep the register, and "
        "certificates at 90 and again at 30 days before expiry.",
        ("ISO 13485 7.4.1",),
        L,
    ),
    Requirement(
        "SUP-018",
        "An outsourced process names its partner and its quality agreement as a controlled "
        "document; a missing, not-in-force or expiring agreement is flagged, and the "
        "partner's certificate must be the partner's.",
        ("ISO 13485 4.1.5", "ISO 13485 7.4.1"),
        M,
        (PQ,),
    ),
    Requirement(
        "SUP-019",
        "An outsourced process records how documents and changes are exchanged, which "
        "party's QMS governs each activity and the notification duties; edits record the "
        "changed fields only.",
        ("ISO 13485 4.1.5",),
        M,
        (PQ, DI),
    ),
    Requirement(
        "SUP-020",
        "A quality agreement is named only to who may open it.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "SUP-021",
        "My tasks name new suppliers to evaluate, decisions to sign (not to the evaluator), "
        "overdue re-evaluations and expiring certificates.",
        ("ISO 13485 7.4.1",),
        L,
    ),
    Requirement(
        "SUP-022",
        "openqms verify finds a status or a decided evaluation set in the database without "
        "its signed decision, and a clean register's decision signatures hold.",
        ("21 CFR 11.10(a)", "21 CFR 11.70", "Annex 11 5"),
        H,
        (DI,),
    ),
    Requirement(
        "SUP-023",
        "The audit trail names supplier records and links a decision to the status it set; a "
        "supplier's name finds its records.",
        ("21 CFR 11.10(e)", "Annex 11 9"),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-024",
        "The supplier API creates, evaluates and decides suppliers, keeps certificates, "
        "performance, outsourced processes, intervals and criteria, and answers bad input "
        "with a 422 naming the field and refusals with stable codes.",
        ("ISO 13485 7.4.1",),
        M,
        (DI,),
    ),
    Requirement(
        "SUP-025",
        "The supplier pages add suppliers, record evaluations, certificates and performance, "
        "and show the QMS dashboard panel.",
        ("ISO 13485 7.4.1",),
        L,
    ),
    Requirement(
        "SUP-026",
        "The demo has an outsourced design partner under an agreement in force.",
        (),
        L,
    ),
    Requirement(
        "SUP-027",
        "The supplier lists cost the same queries however many rows.",
        (),
        L,
    ),
)
