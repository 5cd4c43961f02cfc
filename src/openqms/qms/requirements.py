"""What the qms module promises (ISO 13485 4.1 the quality management system, 4.2.2
the quality manual and its scope, 5 management responsibility): each capability with the
clauses it serves and its risk. Tests name these ids in `@pytest.mark.verifies(...)`;
ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

HIGH, MEDIUM, LOW = Risk.HIGH, Risk.MEDIUM, Risk.LOW
DI = (Impact.DATA_INTEGRITY,)
PQ = (Impact.PRODUCT_QUALITY,)
DI_PQ = (Impact.DATA_INTEGRITY, Impact.PRODUCT_QUALITY)
SCOPE = ("ISO 13485 4.2.2 a)", "ISO 13485 4.1.1")
SIGNED = (*SCOPE, "ISO 13485 5.1", "21 CFR 11.50", "21 CFR 11.200(a)")
PROCESSES = ("ISO 13485 4.1.2", "ISO 13485 4.1.3")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "QMS-001",
        "A QMS scope version is drafted, submitted, approved with a signature and put in "
        "force, superseding the previous one; a draft is never put in force unapproved.",
        SIGNED,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "QMS-002",
        "Only top management approves the scope, never who drafted it, and a wrong "
        "password signs nothing.",
        SIGNED,
        HIGH,
        DI,
    ),
    Requirement(
        "QMS-003",
        "The scope's signature covers the whole scope, so any change after signing breaks "
        "it; returning to draft needs a reason and voids the approval.",
        (*SIGNED, "21 CFR 11.70"),
        HIGH,
        DI,
    ),
    Requirement(
        "QMS-004",
        "Only a draft scope is edited; each change is audited with old and new values, and "
        "bad input is refused naming the field.",
        SCOPE,
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-005",
        "A new scope version starts as a copy of the one in force; the database allows one "
        "open version and one in force.",
        SCOPE,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "QMS-006",
        "The scope in force is marked certified, refused while a required reassessment "
        "with the notified body is not recorded.",
        (*SCOPE, "UK MDR 2002 reg 44ZM"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-007",
        "`openqms verify` finds scope versions, processes and certificates changed in the "
        "database without their action.",
        ("21 CFR 11.10(e)", "Annex 11 9"),
        HIGH,
        DI,
    ),
    Requirement(
        "QMS-008",
        "The redline of two scope versions lists what was added and removed.",
        SCOPE,
        LOW,
    ),
    Requirement(
        "QMS-009",
        "The scope's whole lifecycle runs over the API, with refusals answered by stable "
        "codes and nothing changed.",
        SCOPE,
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-010",
        "Top management is asked in My tasks to approve a submitted scope.",
        ("ISO 13485 5.1",),
        LOW,
    ),
    Requirement(
        "QMS-011",
        "The QMS dashboard shows the scope in force beside the draft and never shows a "
        "lapsed certificate as certified.",
        SCOPE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-012",
        "The organisation profile is kept by its manager, each change audited with old and "
        "new values; readers cannot change it.",
        ("ISO 13485 4.1.1", "UK MDR 2002 reg 7A"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-013",
        "Sites, notified bodies and market roles are added, changed and retired by the "
        "organisation manager; two bodies of one kind never share a number.",
        ("ISO 13485 4.1.1",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-014",
        "The process register records each process and change in the trail; only process "
        "managers change it and a retired process stays readable.",
        PROCESSES,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-015",
        "The process map draws every process with its links and risk, and downloads as SVG.",
        PROCESSES,
        LOW,
    ),
    Requirement(
        "QMS-016",
        "Processes are kept over the API with the same refusals; an account with no rights "
        "meets a 404.",
        PROCESSES,
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-017",
        "A certificate is recorded with its PDF and dates; impossible dates or a file that "
        "is not a PDF are refused with nothing saved.",
        ("ISO 13485 4.2.5", "ISO 13485 4.1.1"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-018",
        "A certificate's edits and withdrawal are audited with their reason; the "
        "withdrawn certificate is kept.",
        ("ISO 13485 4.2.5",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "QMS-019",
        "Certificate expiry and audit visits are reminded to QA leads once per threshold, "
        "by email and in My tasks.",
        ("ISO 13485 4.1.1",),
        LOW,
    ),
    Requirement(
        "QMS-020",
        "The clause map ships the ISO 13485 clauses; clause keepers map processes and "
        "documents to them, each change audited.",
        ("ISO 13485 4.2.2 b)",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-021",
        "The gap report names each clause needing a procedure that no document in force "
        "serves, by the scope in force.",
        ("ISO 13485 4.2.2 b)", "ISO 13485 4.2.1 c)"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-022",
        "Device families are defined, edited and retired by their keepers; others meet a "
        "404 and change nothing.",
        ("ISO 13485 4.2.3",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "QMS-023",
        "The management role reads what an employee reads: documents, the quality policy "
        "and their training.",
        ("ISO 13485 5.1",),
        LOW,
    ),
)
