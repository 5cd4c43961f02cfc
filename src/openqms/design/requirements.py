"""The design module's user requirements (issue 14): what a user relies on, with the
clauses each serves and its GAMP 5 style risk. Ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

H, M, L = Risk.HIGH, Risk.MEDIUM, Risk.LOW
PQ, PS, DI = Impact.PRODUCT_QUALITY, Impact.PATIENT_SAFETY, Impact.DATA_INTEGRITY

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "DES-001",
        "A design project belongs to a device or family with its development plan as a "
        "controlled document, and the projects list shows each project's items, gaps, "
        "suspect links and current baseline.",
        ("ISO 13485 7.3.2",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-002",
        "A design item keeps a stable ID, a type, text, attributes and a version that "
        "goes up on every change, each change one audit event; an edit over a newer "
        "version is refused, keeping what was typed and writing nothing.",
        ("ISO 13485 7.3.2", "21 CFR 11.10(e)", "Annex 11 9"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-003",
        "A link is made only where the configured link rules allow it; any other is "
        "refused with the rule's message and nothing is written.",
        ("ISO 13485 7.3.2", "ISO 13485 7.3.3"),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-004",
        'Editing an item marks its links suspect until a reviewer signs "Link reviewed: '
        'still valid", the other end changes or an end is retired; a wrong password or '
        "someone without the review right clears nothing.",
        ("ISO 13485 7.3.9", "21 CFR 11.50", "21 CFR 11.10(g)"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "DES-005",
        "A link carrying a signed review cannot be removed; another link is removed only "
        "with a reason and kept in the trail.",
        ("ISO 13485 7.3.9", "21 CFR 11.70"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-006",
        "Only holders of the design edit right create or change projects, items, links, "
        "imports, evidence, software systems and SBOMs; anyone else is refused and "
        "nothing is written.",
        ("21 CFR 11.10(d)", "21 CFR 11.10(g)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-007",
        "An account with no role meets a 404 on every design page, download and API endpoint.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-008",
        "An item is retired with a reason, never deleted; a retired item has no gaps and "
        "counts for nothing.",
        ("ISO 13485 7.3.2", "ISO 13485 4.2.5"),
        M,
        (DI,),
    ),
    Requirement(
        "DES-009",
        "A project's items are filtered by type, state, ID or title, with gaps or suspect "
        "links, and an item's page shows its text as Markdown, its links in and out, its "
        "gaps and its history.",
        ("ISO 13485 7.3.2",),
        L,
    ),
    Requirement(
        "DES-010",
        "Every change keeps each item's gaps up to date and in plain words: user needs "
        "without an input or a validation, inputs without an output or verification, "
        "risks without a verified control, tests without a passing current result, and "
        "suspect links.",
        ("ISO 13485 7.3.2", "ISO 13485 7.3.6", "ISO 14971 7.2"),
        M,
        (PQ, PS),
    ),
    Requirement(
        "DES-011",
        "openqms design check recomputes every gap, prints each with a summary, exits 1 "
        "with gaps, 0 without and 2 for an unknown project, and reports and rebuilds a "
        "stored state that drifted.",
        ("ISO 13485 7.3.6",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-012",
        "The trace matrix runs from any level to any level with each row's downstream "
        "items and gaps, filtered and searched, on the page, as CSV, XLSX, PDF and HTML, "
        "and over the API.",
        ("ISO 13485 7.3.6", "ISO 13485 7.3.10"),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-013",
        "openqms verify finds stored gaps that differ from a fresh full check.",
        ("21 CFR 11.10(a)", "Annex 11 5"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-014",
        "A Design trace box on the QMS dashboard counts each project's open gaps for "
        "those who may read them.",
        ("ISO 13485 7.3.6",),
        L,
    ),
    Requirement(
        "DES-015",
        "Importing StrictDoc, ReqIF or CSV checks everything first (IDs, types, link "
        "rules, unknown targets, duplicates) and reports every problem with its file and "
        "line, writing nothing; a dry run writes nothing.",
        ("ISO 13485 7.3.2", "Annex 11 4.8"),
        M,
        (DI,),
    ),
    Requirement(
        "DES-016",
        "An import writes items and links of the right kinds, makes the project for the "
        "named device on first import and skips what is already there.",
        ("ISO 13485 7.3.2",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-017",
        "Each import is one audit event with each file's SHA-256, the counts and a digest "
        "of the imported content, attributed to a known active user.",
        ("21 CFR 11.10(e)", "Annex 11 4.8", "Annex 11 9"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-018",
        "Uploads over 50 MB a file, 200 MB in all, or a .reqifz over 100 members are "
        "refused before they are read, writing nothing.",
        ("Annex 11 4.8",),
        M,
        (DI,),
    ),
    Requirement(
        "DES-019",
        "A project exports as ReqIF 1.0, and that file imports into another project with "
        "the same items and links.",
        ("ISO 13485 7.3.10",),
        L,
    ),
    Requirement(
        "DES-020",
        "JUnit results link each case to the item its name or property names as a whole "
        "token (an ambiguous ID links neither); unlinked cases are listed and unknown IDs "
        "reported.",
        ("ISO 13485 7.3.6",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-021",
        "A result counts only at the item's current version in the current baseline: "
        "stale, failed, skipped or other baselines' results do not, and the latest run "
        "decides.",
        ("ISO 13485 7.3.6", "IEC 62304 5.7"),
        M,
        (PQ, PS),
    ),
    Requirement(
        "DES-022",
        "A signed baseline takes no evidence, and a malformed, unsafe or oversized result "
        "file is refused with its line, writing nothing.",
        ("ISO 13485 7.3.6", "21 CFR 11.10(a)", "Annex 11 5"),
        H,
        (DI,),
    ),
    Requirement(
        "DES-023",
        "An evidence ingest is audited with its counts, commit and build, and the test "
        "runs and run pages show results, outcomes, stale results and unlinked cases.",
        ("ISO 13485 7.3.6", "21 CFR 11.10(e)"),
        M,
        (DI,),
    ),
    Requirement(
        "DES-024",
        "A baseline snapshots every active item at its version and every link with a "
        "SHA-256 digest; an open baseline can be taken again at current versions; a name "
        "is used once.",
        ("ISO 13485 7.3.10",),
        M,
        (DI,),
    ),
    Requirement(
        "DES-025",
        "The QA lead signs a baseline once; signing is refused while suspect links stand, "
        "when the snapshot no longer matches its digest, without the right or with a "
        "wrong password; a signed baseline never changes.",
        ("ISO 13485 7.3.10", "21 CFR 11.50", "21 CFR 11.70", "21 CFR 11.10(g)"),
        H,
        (DI, PQ),
    ),
    Requirement(
        "DES-026",
        "Two baselines compare as items added, removed and changed (versions and fields) "
        "and links added and removed.",
        ("ISO 13485 7.3.10",),
        L,
    ),
    Requirement(
        "DES-027",
        "A design review names its participants and an independent reviewer (who wrote "
        "none of the reviewed items); everyone named signs once, someone not named "
        "cannot, the last signature completes it, and what it is signed over is stored so "
        "later work never unsettles it.",
        ("ISO 13485 7.3.5", "21 CFR 11.50", "21 CFR 11.70"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "DES-028",
        "A design change (DC-YYYY-NNNN) records its impact (items, risks, verification to "
        "redo, regulatory impact on the device) and is approved by a QA lead's signature, "
        "not its recorder's; it is done only after approval and opens a new baseline.",
        ("ISO 13485 7.3.9", "21 CFR 11.50", "21 CFR 11.70"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "DES-029",
        "Design phases have an order and a planned end and are closed once.",
        ("ISO 13485 7.3.2",),
        L,
    ),
    Requirement(
        "DES-030",
        "A baseline's design history file downloads as a PDF and a ZIP with index.json of "
        "each file's SHA-256, formulas shown as text.",
        ("ISO 13485 7.3.10", "21 CFR 11.10(b)"),
        L,
    ),
    Requirement(
        "DES-031",
        "My tasks name baselines, reviews and changes to sign, suspect links to review "
        "and SOUP to review, to who may act.",
        ("ISO 13485 7.3.10",),
        L,
    ),
    Requirement(
        "DES-032",
        "The acceptability matrix of a risk file (5 × 5 to start) is changed and its "
        "levels renamed only by the QA lead, audited, and every risk is re-evaluated.",
        ("ISO 14971 5.5", "ISO 14971 7.1", "ISO 13485 7.1"),
        H,
        (PS,),
    ),
    Requirement(
        "DES-033",
        "Hazardous situations keep severity and probability (single or P1 × P2, never "
        "both) before and after control, with the region computed from the matrix.",
        ("ISO 14971 5.4", "ISO 14971 6"),
        H,
        (PS,),
    ),
    Requirement(
        "DES-034",
        "Each hazardous situation and control is also a design item (RISK-n, RC-n) linked "
        "mitigates, so inputs implement it and tests verify it.",
        ("ISO 14971 7.1", "ISO 13485 7.3.3"),
        M,
        (PS, PQ),
    ),
    Requirement(
        "DES-035",
        "A residual risk not acceptable needs its benefit-risk analysis; the risk "
        "management report is signed by the QA lead only when every situation is "
        "evaluated and the overall residual risk stated, and a change after signing opens "
        "it again.",
        ("ISO 14971 7.4", "ISO 14971 8", "ISO 14971 9", "21 CFR 11.50"),
        H,
        (PS,),
    ),
    Requirement(
        "DES-036",
        "An FMEA view of the risk file shows every situation on a page and as CSV.",
        ("ISO 14971 7",),
        L,
    ),
    Requirement(
        "DES-037",
        "A new complaint, incident report, trend report or CAPA for a device with a risk "
        "file opens a risk review, closed with its outcome and the hazards concerned.",
        ("ISO 14971 10", "ISO 13485 8.2.1"),
        M,
        (PS,),
    ),
    Requirement(
        "DES-038",
        "A software system has its IEC 62304 safety class with a justification, a class "
        "change needs a reason and is audited, and its checklist of deliverables by class "
        "records audited evidence.",
        ("IEC 62304 4.3", "IEC 62304 5.1"),
        M,
        (PS, PQ),
    ),
    Requirement(
        "DES-039",
        "Software items and units form a tree; an item classed above its system is refused.",
        ("IEC 62304 4.3", "IEC 62304 5.3"),
        M,
        (PS,),
    ),
    Requirement(
        "DES-040",
        "Problem reports (PR-YYYY-NNNN) are numbered by year, investigated, resolved and "
        "closed, and linked to CAPAs by number, shown from both sides.",
        ("IEC 62304 9",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-041",
        "SOUP items carry requirements and risks of their own device only, and a signed "
        'known-anomaly review ("SOUP known anomalies reviewed") that stays intact when an '
        "SBOM corrects the supplier, licence or purl; new requirements send the item back "
        "for review, and a review without the password or twice is refused.",
        ("IEC 62304 7.1.3", "IEC 62304 8.1.2", "21 CFR 11.50"),
        H,
        (PS, DI),
    ),
    Requirement(
        "DES-042",
        "A CycloneDX SBOM is checked whole first (JSON line and column named, nesting "
        "limited), writing nothing on a problem, and what changed since the last one is "
        "kept and shown.",
        ("IEC 62304 8.1.2", "Annex 11 4.8"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DES-043",
        "The demo builds RhythmCheck's traced design project, risk file and class B software once.",
        (),
        L,
    ),
    Requirement(
        "DES-044",
        "Design lists, the trace matrix and gap checks take a bounded number of queries "
        "however many rows.",
        (),
        L,
    ),
    Requirement(
        "DES-045",
        "The design API creates and reads projects, items and links and answers refused "
        "input with a clear 4xx naming the problem, writing nothing.",
        ("ISO 13485 7.3.2", "21 CFR 11.10(a)"),
        M,
        (DI,),
    ),
    Requirement(
        "DES-046",
        "A QA lead holding the design configuration right changes item types, link rules "
        "and gap rules; each change is audited old to new and the gaps of every project "
        "are worked out again at once; anyone else meets the same 404 as a missing page.",
        ("ISO 13485 7.3.2", "ISO 13485 4.1.6", "21 CFR 11.10(d)"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DES-047",
        "Once a project's current baseline is signed, an item is edited or retired and a "
        "link removed only as part of an approved design change that names the item; "
        "otherwise the change is refused and nothing is written.",
        ("ISO 13485 7.3.9",),
        H,
        (PQ, DI),
    ),
    Requirement(
        "DES-048",
        "Importing a file again makes each changed item a new version with its own edit "
        "event (its links suspect), removes links that file no longer declares unless a "
        "signed review keeps one, and lists items not in the file without retiring them; "
        "after release a file that would change or remove what was released is refused.",
        ("ISO 13485 7.3.2", "ISO 13485 7.3.9", "21 CFR 11.10(e)"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DES-049",
        "Hazards, hazardous situations and risk controls are edited and retired with a "
        "reason, audited old to new, their design items following (new version or "
        "retired), and a signed risk management report is opened again.",
        ("ISO 14971 7.1", "ISO 14971 10", "21 CFR 11.10(e)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "DES-050",
        "The risk management report's signer signs over the plan in force, the overall "
        "residual risk, the situations by region before and after control, and what is "
        "still open; signing is refused while a situation is unevaluated or a risk review "
        "is open.",
        ("ISO 14971 8", "ISO 14971 9", "21 CFR 11.50"),
        H,
        (PS, DI),
    ),
    Requirement(
        "DES-051",
        "A CycloneDX SBOM in XML is read into the SOUP list as JSON is, without DTDs or "
        "entities; a malformed file is refused naming its line.",
        ("IEC 62304 8.1.2",),
        M,
        (PQ,),
    ),
    Requirement(
        "DES-052",
        "A SOUP item's known-anomaly review cannot be signed while the item has neither "
        "requirements nor risk links recorded.",
        ("IEC 62304 5.3.3", "IEC 62304 7.1.3"),
        H,
        (PS,),
    ),
    Requirement(
        "DES-053",
        "An item's edit asks why and may name its design change; a suspect link's review "
        "names the versions the changed end moved between and shows its words removed "
        "and added.",
        ("ISO 13485 7.3.9", "21 CFR 11.10(e)"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "DES-054",
        "Item IDs sort by their number (RISK-2 before RISK-10) on pages, in the matrix, "
        "exports and the API.",
        ("ISO 13485 7.3.2",),
        L,
        (),
    ),
    Requirement(
        "DES-055",
        "A design change with regulatory impact names the QMS scope in force, shown on "
        "the change and covered by its approval's signature.",
        ("ISO 13485 7.3.9", "ISO 13485 4.1"),
        M,
        (PQ,),
    ),
)
