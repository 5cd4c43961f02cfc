"""The device register's user requirements (issue 14): what a user relies on, with the
clauses each serves and its GAMP 5 style risk. Ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

H, M, L = Risk.HIGH, Risk.MEDIUM, Risk.LOW
PQ, PS, DI = Impact.PRODUCT_QUALITY, Impact.PATIENT_SAFETY, Impact.DATA_INTEGRITY

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "DEV-001",
        "A QA lead adds a device with its family, intended purpose, GB class, classification "
        "rule and justification, and the audit trail records every field.",
        ("ISO 13485 4.2.3", "21 CFR 11.10(e)", "Annex 11 9"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DEV-002",
        "A device with a missing or malformed field, the same name and model as another, or "
        "a retired family is refused naming the field, and nothing is written.",
        ("ISO 13485 4.2.3",),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DEV-003",
        "Only holders of devices.device:manage change the register; anyone else is refused "
        "(a 404 on the pages and a stable code over the API) and nothing changes.",
        ("21 CFR 11.10(d)", "21 CFR 11.10(g)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "DEV-004",
        "Everyone with a role reads the register; an account with no role meets a 404 on "
        "every device page.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "DEV-005",
        "Editing a device records only the fields that changed, each old to new.",
        ("ISO 13485 4.2.3", "21 CFR 11.10(e)", "Annex 11 9"),
        M,
        (DI,),
    ),
    Requirement(
        "DEV-006",
        "A market is added with a conformity route that market accepts (one route per "
        "market) and its certifying body; any other route is refused.",
        ("ISO 13485 4.2.3", "UK MDR 2002"),
        M,
        (PQ,),
    ),
    Requirement(
        "DEV-007",
        "UDI-DIs are checked (GS1 check digit, one device per UDI) before they are added or "
        "removed; a malformed or repeated UDI is refused.",
        ("ISO 13485 7.5.8", "UK MDR 2002"),
        H,
        (PS, DI),
    ),
    Requirement(
        "DEV-008",
        "The lifecycle steps in design → on market → discontinued → support ended in order, "
        "each with its date and event; a wrong step, a date before the step before or a "
        "missing reason is refused and changes nothing.",
        ("ISO 13485 4.2.3", "ISO 13485 4.2.5"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DEV-009",
        "A change to registered data (name, intended purpose, class, GMDN, UDIs, UK "
        "Responsible Person) flags the MHRA registration until the updated registration is "
        "recorded, audited.",
        ("UK MDR 2002", "ISO 13485 4.2.3"),
        M,
        (PQ,),
    ),
    Requirement(
        "DEV-010",
        "A flagged registration is a My tasks entry for QA leads and one reminder email per "
        "flagging from openqms tick.",
        ("UK MDR 2002",),
        L,
    ),
    Requirement(
        "DEV-011",
        "Device classes are seeded with their post-market report obligations and shown on "
        "the device page (a Class IIb device: a PSUR every year).",
        ("UK MDR 2002 Part 4A", "ISO 13485 8.2.1"),
        M,
        (PQ,),
    ),
    Requirement(
        "DEV-012",
        "The date until which CE marking is recognised in GB is shown with its regime and "
        "changed by the register's keeper with a reason, audited old to new.",
        ("UK MDR 2002", "21 CFR 11.10(e)"),
        M,
        (PQ,),
    ),
    Requirement(
        "DEV-013",
        "A medical device file per family links controlled documents to its sections or "
        "says why a section does not apply; filing and removal are audited and "
        "completeness counts only documents in force.",
        ("ISO 13485 4.2.3",),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DEV-014",
        "A medical device file never names a document to someone who may not open it, and "
        "filing a document one may not open is refused like a missing one.",
        ("ISO 13485 4.2.3", "21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "DEV-015",
        "A medical device file is exported as one PDF (index, then each controlled copy) or "
        "a ZIP of the controlled copies.",
        ("ISO 13485 4.2.3", "21 CFR 11.10(b)"),
        L,
    ),
    Requirement(
        "DEV-016",
        "openqms verify names a lifecycle state changed without its step and a registration "
        "flag cleared without a recorded registration.",
        ("21 CFR 11.10(a)", "Annex 11 5"),
        H,
        (DI,),
    ),
    Requirement(
        "DEV-017",
        "Device records, medical device files and the documents filed in them take their "
        "retention dates from the family's devices, counted from the last placing on the "
        "market and at least 10 years for the file.",
        ("ISO 13485 4.2.5",),
        M,
        (DI,),
    ),
    Requirement(
        "DEV-018",
        "The audit trail names devices, files and families in words.",
        ("21 CFR 11.10(e)", "Annex 11 9"),
        M,
        (DI,),
    ),
    Requirement(
        "DEV-019",
        "The device API creates, reads, edits and steps devices, reads files, classes and "
        "recognitions, and answers bad requests with a stable code writing nothing.",
        ("ISO 13485 4.2.3",),
        M,
        (DI,),
    ),
    Requirement(
        "DEV-020",
        "A QMS dashboard panel counts devices by class and state.",
        ("ISO 13485 4.2.3",),
        L,
    ),
    Requirement(
        "DEV-021",
        "The demo seeds two devices and a medical device file still incomplete.",
        (),
        L,
    ),
    Requirement(
        "DEV-022",
        "The device lists and the trail's names take a constant number of queries however "
        "many rows.",
        (),
        L,
    ),
)
