"""What the validation module does, as requirements traced to tests (issue 14)."""

from openqms.core.requirements import Impact, Requirement, Risk

_DI = (Impact.DATA_INTEGRITY,)
_PQ = (Impact.PRODUCT_QUALITY,)
_IQ = ("ISO 13485 4.1.6", "21 CFR 11.10(a)", "Annex 11 4.7")

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "VAL-001",
        "IQ compares every installed file with the release manifest's SHA-256 and names "
        "each missing, changed and added file.",
        (*_IQ, "21 CFR 820.70(i)"),
        Risk.HIGH,
        (*_DI, *_PQ),
    ),
    Requirement(
        "VAL-002",
        "IQ fails when the running version is not the one the release manifest is for.",
        _IQ,
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-003",
        "IQ fails when a dependency is not installed at the version the lock file pins, "
        "naming each such dependency.",
        (*_IQ, "Annex 11 3.1"),
        Risk.HIGH,
        (*_DI, *_PQ),
    ),
    Requirement(
        "VAL-004",
        "IQ reports the Python version and fails on one older than supported.",
        _IQ,
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-005",
        "IQ reports the database engine and server version and fails on an unsupported one.",
        _IQ,
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-006",
        "IQ fails while a database migration is pending, naming it.",
        _IQ,
        Risk.MEDIUM,
        _DI,
    ),
    Requirement(
        "VAL-007",
        "IQ fails when a protective database trigger is missing, naming it.",
        (*_IQ, "21 CFR 11.10(e)", "Annex 11 9"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-008",
        "IQ fails on any error or warning of `openqms check --deploy`, listing each.",
        (*_IQ, "Annex 11 12.1"),
        Risk.MEDIUM,
        _DI,
    ),
    Requirement(
        "VAL-009",
        "IQ fails when the file store or the audit key is missing or open to other users.",
        (*_IQ, "21 CFR 11.10(d)", "Annex 11 12.1"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-010",
        "IQ fails when the database clock is off the application's clock or the OS reports "
        "its clock is not synchronised.",
        (*_IQ, "21 CFR 11.10(e)", "Annex 11 9"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-011",
        "IQ writes nothing to the instance it qualifies: the audit chain's head is the same "
        "before and after.",
        (*_IQ, "21 CFR 11.10(e)"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-012",
        "`openqms validate --iq-only` writes iq.json and iq.txt and exits 0 only when "
        "every check passed.",
        _IQ,
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-013",
        "The release manifest lists the SHA-256 of every file the built wheel installs.",
        (*_IQ, "21 CFR 820.70(i)"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-014",
        "The shipped lock file pins every runtime dependency to one version with hashes.",
        (*_IQ, "Annex 11 3.1"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-015",
        "IQ fails with the reason when the manifest or the lock file cannot be read.",
        _IQ,
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-016",
        "In a development checkout IQ says the file check cannot apply and how to qualify "
        "a release install.",
        _IQ,
        Risk.LOW,
    ),
    Requirement(
        "VAL-017",
        "OQ runs every test that names a requirement and records for each its requirement "
        "IDs, whether it checks a refusal, its outcome with the reason of a failure or skip, "
        "its duration and the SHA-256 of its source.",
        ("ISO 13485 4.1.6", "21 CFR 11.10(a)", "Annex 11 4.7"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-018",
        "OQ never runs against the instance: its tests get a scratch database, data folder "
        "and environment with none of the instance's settings, and the audit chain and data "
        "folder are the same after the run.",
        ("ISO 13485 4.1.6", "21 CFR 11.10(a)", "21 CFR 11.10(e)", "Annex 11 4.7"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-019",
        "On PostgreSQL, OQ's scratch database is a new database on the instance's server, "
        "never the instance's, and it is dropped after the run.",
        ("ISO 13485 4.1.6", "Annex 11 4.7"),
        Risk.MEDIUM,
        _DI,
    ),
    Requirement(
        "VAL-020",
        "OQ carries the instance's document types into its scratch database and takes a "
        "document of each type through review and approval, as its approval mode says, to "
        "effective with signatures.",
        ("ISO 13485 4.1.6", "ISO 13485 4.2.4", "21 CFR 11.10(a)"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-021",
        "OQ checks that each of the instance's training rules assigns training on an "
        "effective document, due as the rule says.",
        ("ISO 13485 4.1.6", "ISO 13485 6.2"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-022",
        "OQ checks that each of the instance's roles grants exactly the permissions it "
        "lists and refuses every other.",
        ("ISO 13485 4.1.6", "21 CFR 11.10(d)", "21 CFR 11.10(g)", "Annex 11 12.1"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-023",
        "Without its test tools (pytest, pytest-django, hypothesis) OQ runs nothing and "
        "says which are missing and how to install them.",
        ("ISO 13485 4.1.6",),
        Risk.LOW,
    ),
    Requirement(
        "VAL-024",
        "The release wheel carries the operational test set, and OQ runs a private copy of "
        "it, leaving the installed files as the manifest lists them.",
        ("ISO 13485 4.1.6", "21 CFR 820.70(i)"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-025",
        "The validation report calls a requirement verified only when at least one of its "
        "tests passed and none failed or erred; failed when any failed or erred; not run "
        "when its tests were only skipped or absent.",
        ("ISO 13485 4.1.6", "21 CFR 11.10(a)", "Annex 11 4.7"),
        Risk.HIGH,
        (*_DI, *_PQ),
    ),
    Requirement(
        "VAL-026",
        "The validation report, as JSON and as PDF, gives the environment, every IQ check, "
        "the OQ run, every requirement with its tests and results, the deviations and the "
        "trace matrix module by module.",
        ("ISO 13485 4.1.6", "Annex 11 4.7"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-027",
        "The validation report lists what changed since the last approved report: the "
        "version, requirements added, removed or changed, tests added, removed or changed, "
        "results changed, and the installs and upgrades recorded since.",
        ("ISO 13485 4.1.6", "Annex 11 10", "21 CFR 820.70(i)"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-028",
        "`openqms validate` stores the report as a record holding its JSON and PDF by "
        "SHA-256 with one audit event, and stores nothing when the audit chain moved "
        "while OQ ran.",
        ("ISO 13485 4.1.6", "ISO 13485 4.2.5", "21 CFR 11.10(e)"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-029",
        "Only a holder of validation.report:approve approves a validation report, once, by "
        "an electronic signature over its files' SHA-256.",
        ("ISO 13485 4.1.6", "21 CFR 11.50", "21 CFR 11.70", "21 CFR 11.200(a)"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-030",
        "`openqms migrate` records the OpenQMS version first installed and each change of "
        "version as an upgrade event, once, keeping the audit chain intact.",
        ("ISO 13485 4.1.6", "Annex 11 10", "21 CFR 11.10(e)"),
        Risk.MEDIUM,
        _DI,
    ),
    Requirement(
        "VAL-031",
        "`openqms validate` exits 0 only when IQ and OQ passed and every requirement is "
        "verified; a failed validation is stored too and exits 1.",
        ("ISO 13485 4.1.6",),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-032",
        "Validation reports are shown only to those who may read them, and a report "
        "awaiting approval is in its approvers' My tasks.",
        ("ISO 13485 4.1.6", "21 CFR 11.10(d)"),
        Risk.MEDIUM,
        _DI,
    ),
    Requirement(
        "VAL-041",
        "An instance made by the previous release upgrades with `openqms migrate`: no "
        "earlier audit event changes, the trail records the migrations and the version "
        "that applied them, and every `openqms verify` check holds afterwards.",
        ("ISO 13485 4.1.6", "Annex 11 10", "21 CFR 11.10(e)"),
        Risk.HIGH,
        _DI,
    ),
    Requirement(
        "VAL-042",
        "Each release has a CHANGELOG section for customers (new, changed, fixed, known "
        "anomalies each with its risk and a workaround), and no release is built "
        "without one.",
        ("ISO 13485 4.1.6", "Annex 11 4.2", "Annex 11 10"),
        Risk.MEDIUM,
        _PQ,
    ),
    Requirement(
        "VAL-043",
        "IQ fails when the version the audit trail last recorded for the database is not "
        "the running one (a release installed without `openqms migrate`), naming both.",
        (*_IQ, "Annex 11 10"),
        Risk.MEDIUM,
        _DI,
    ),
)
