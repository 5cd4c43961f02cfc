"""What the training module promises (ISO 13485 6.2 competence, training and awareness;
21 CFR 820.25(b)): each capability with the clauses it serves and its risk. Tests name
these ids in `@pytest.mark.verifies(...)`; ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

HIGH, MEDIUM, LOW = Risk.HIGH, Risk.MEDIUM, Risk.LOW
DI = (Impact.DATA_INTEGRITY,)
PQ = (Impact.PRODUCT_QUALITY,)
DI_PQ = (Impact.DATA_INTEGRITY, Impact.PRODUCT_QUALITY)
COMPETENCE = ("ISO 13485 6.2", "21 CFR 820.25(b)")
SIGNED = (*COMPETENCE, "21 CFR 11.50", "21 CFR 11.200(a)")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "TRN-001",
        "With the gate on, a person untrained on the revision in force cannot review or "
        "approve the next one, and is told why.",
        (*COMPETENCE, "21 CFR 11.10(i)"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "TRN-002",
        "A record of any module made under a gated procedure is refused to a signer "
        "untrained on that procedure.",
        (*COMPETENCE, "21 CFR 11.10(i)"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "TRN-003",
        "'Read and understood' completes training with a signature bound to the exact "
        "revision content; a wrong password or changed content signs nothing.",
        SIGNED,
        HIGH,
        DI,
    ),
    Requirement(
        "TRN-004",
        "Nobody signs someone else's training, not even their manager.",
        SIGNED,
        HIGH,
        DI,
    ),
    Requirement(
        "TRN-005",
        "Training counts for one revision only; training on a superseded revision, or "
        "signed already, cannot be signed.",
        SIGNED,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "TRN-006",
        "A revision becoming effective assigns it, once, to everyone whose job role "
        "requires it, with the due date of its type's training rule.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-007",
        "A classroom session is recorded with its attendees and the trainer's signature "
        "completes their training; only a trained trainer signs it.",
        SIGNED,
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "TRN-008",
        "A document's quiz must be passed before its training can be signed; failed "
        "attempts are kept.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-009",
        "The effectiveness of training is evaluated with a signature by someone other than "
        "the trainee; 'not effective' assigns the training again.",
        ("ISO 13485 6.2 d)", "21 CFR 11.200(a)"),
        HIGH,
        DI_PQ,
    ),
    Requirement(
        "TRN-010",
        "Competence records (certificates, qualifications) carry their expiry and are kept "
        "when withdrawn; only records managers add them.",
        ("ISO 13485 6.2 e)",),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-011",
        "Taking a job role assigns the training it requires; only role managers give job "
        "roles, and nobody holds one twice.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-012",
        "Leaving a job role cancels open training nothing else requires, and keeps history.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-013",
        "A change of a training rule needs a reason, kept with its audit event.",
        ("ISO 13485 6.2", "21 CFR 11.10(e)"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "TRN-014",
        "The training matrix states one figure, requirements current divided by "
        "requirements, for its headline, chart and completion by document.",
        ("ISO 13485 6.2 e)",),
        LOW,
    ),
    Requirement(
        "TRN-015",
        "The matrix exports to CSV and XLSX as filtered, formulas neutralised, only the "
        "people the reader may see.",
        ("ISO 13485 6.2 e)",),
        LOW,
    ),
    Requirement(
        "TRN-016",
        "Training due soon and expiring competence are reminded once by email.",
        COMPETENCE,
        LOW,
    ),
    Requirement(
        "TRN-017",
        "Withdrawing a document closes its open training and keeps completed training.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-018",
        "Training records are shown only to the person, their manager and those who keep "
        "records; others meet a 404 on pages and in the API.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(d)"),
        HIGH,
        DI,
    ),
    Requirement(
        "TRN-019",
        "Two simultaneous signings complete a training once, and a stale copy is refused "
        "under the lock.",
        SIGNED,
        MEDIUM,
        DI,
    ),
    Requirement(
        "TRN-020",
        "A person's training record, on the page and as a PDF, shows each assignment with "
        "its revision and signature.",
        ("ISO 13485 6.2 e)", "ISO 13485 4.2.5"),
        MEDIUM,
        DI,
    ),
    Requirement(
        "TRN-021",
        "A job role may require training on a process: documents serving it are assigned "
        "when they come into force.",
        ("ISO 13485 6.2", "ISO 13485 4.1.2"),
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-022",
        "A fresh install gates procedures and work instructions and checks their "
        "training's effectiveness.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-023",
        "A new procedure's author, or a trainer named with a reason, gives its first "
        "session; anyone else untrained is refused.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-024",
        "Submitting a revision refuses to name people the training gate would stop, and "
        "a blocked task links to the training that unblocks it.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
    Requirement(
        "TRN-025",
        "Training assigned by hand moves to a revision needing retraining and stays with "
        "a minor revision.",
        COMPETENCE,
        MEDIUM,
        PQ,
    ),
)
