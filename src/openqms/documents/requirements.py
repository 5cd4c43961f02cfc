"""What the documents module promises (ISO 13485 4.2.4 control of documents, 4.2.5
control of records): each capability with the clauses it serves and its risk. Tests
name these ids in `@pytest.mark.verifies(...)`; ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

HIGH, MEDIUM, LOW = Risk.HIGH, Risk.MEDIUM, Risk.LOW
DI = (Impact.DATA_INTEGRITY,)
PQ = (Impact.PRODUCT_QUALITY,)
DI_PQ = (Impact.DATA_INTEGRITY, Impact.PRODUCT_QUALITY)
CONTROL = ("ISO 13485 4.2.4",)
APPROVAL = ("ISO 13485 4.2.4 a)", "21 CFR 820.40(a)", "21 CFR 11.10(f)")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "DOC-001",
        "A revision becomes effective only after its review and approval signatures; "
        "approving a draft directly, or with a wrong password, is refused.",
        APPROVAL,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-002",
        "The author of a revision can neither review nor approve it, whatever their role.",
        APPROVAL,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-003",
        "When its type says so, the reviewer of a revision cannot also approve it.",
        APPROVAL,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-004",
        "A revision's content cannot change while it is in review; returning it to draft "
        "voids its signatures visibly.",
        (*APPROVAL, "21 CFR 11.70"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-005",
        "Only the people named at submission review and approve a revision.",
        APPROVAL,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-006",
        "Submitting for review names reviewers, approvers and a due date; a submission "
        "without them, naming the author or someone without the permission, is refused.",
        APPROVAL,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-007",
        "A type's approval mode (all, any one, in sequence) decides when a revision is "
        "approved; an approval out of order or a second one by the same person is refused.",
        APPROVAL,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-008",
        "A document has at most one revision in force, even when approvers sign at the "
        "same moment, and verify finds the flag set by hand.",
        ("ISO 13485 4.2.4 f)", "21 CFR 820.40(b)"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-009",
        "Saving a draft based on a stale copy is refused with the difference shown, on the "
        "page and in the API, so no edit is lost.",
        CONTROL,
        MEDIUM,
        DI,
    ),
    Requirement(
        "DOC-010",
        "Open review comments block approval until the revision's author resolves them.",
        ("ISO 13485 4.2.4 a)",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-011",
        "Readers see the revision in force; drafts and superseded revisions only those "
        "allowed; a person outside reads nothing.",
        ("ISO 13485 4.2.4 d)", "ISO 13485 4.2.4 g)", "21 CFR 11.10(d)"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "DOC-012",
        "A periodic review is a signed record: 'no change needed' sets the next review, "
        "'change needed' starts the next draft.",
        ("ISO 13485 4.2.4 b)", "21 CFR 11.200(a)"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-013",
        "A revision's PDF says what it is on every page; only the revision in force is a "
        "controlled copy.",
        ("ISO 13485 4.2.4 d)", "ISO 13485 4.2.4 g)"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-014",
        "The redline compares two revisions' body, metadata and attached files.",
        ("ISO 13485 4.2.4 c)",),
        LOW,
    ),
    Requirement(
        "DOC-015",
        "Search finds words in bodies, numbers and titles, and shows only what the person may see.",
        ("ISO 13485 4.2.4 e)",),
        LOW,
    ),
    Requirement(
        "DOC-016",
        "`openqms documents import` imports legacy revisions with their provenance, and a "
        "bad manifest is refused row by row with nothing written.",
        ("ISO 13485 4.2.4", "Annex 11 4.8"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "DOC-017",
        "External documents are registered and their currency checks recorded by who and when.",
        ("ISO 13485 4.2.4 f)",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-018",
        "A document number outside its type's numbering is refused on import, on the page "
        "and in the API.",
        ("ISO 13485 4.2.4 e)",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "DOC-019",
        "Attached files are stored under their hash and signed with the revision; they "
        "cannot change in review, and a swapped file shows the signature broken.",
        (*APPROVAL, "21 CFR 11.70"),
        HIGH,
        DI,
    ),
    Requirement(
        "DOC-020",
        "Files over the size limit and Word files that would unpack too large are refused "
        "before anything is stored.",
        ("21 CFR 11.10(a)",),
        MEDIUM,
        DI,
    ),
    Requirement(
        "DOC-021",
        "A document is disposed of only past its retention and outside any legal hold, "
        "with a signature.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(c)"),
        HIGH,
        DI,
    ),
    Requirement(
        "DOC-022",
        "QA takes over a draft with a reason; a take-over without a reason or the right is "
        "refused.",
        CONTROL,
        MEDIUM,
        DI,
    ),
    Requirement(
        "DOC-023",
        "`openqms verify` finds review and approval signatures that do not match the "
        "people named for them.",
        (*APPROVAL, "21 CFR 11.10(e)"),
        HIGH,
        DI,
    ),
    Requirement(
        "DOC-024",
        "A revision with neither a body nor a file cannot be submitted for review.",
        CONTROL,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "DOC-025",
        "A body nested more than ten levels deep is refused when it is saved.",
        CONTROL,
        LOW,
    ),
    Requirement(
        "DOC-026",
        "A PDF original opens in the browser only when its bytes are a PDF, with safe headers.",
        ("21 CFR 11.10(a)",),
        LOW,
    ),
    Requirement(
        "DOC-027",
        "A new document is numbered from its type and starts as draft A; creating one needs "
        "the right and a title.",
        ("ISO 13485 4.2.4 e)",),
        MEDIUM,
        PQ,
    ),
)
