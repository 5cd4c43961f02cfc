"""The quality events module's user requirements (issue 14): what a user relies on, with
the clauses each serves and its GAMP 5 style risk. Ids are never reused."""

from openqms.core.requirements import Impact, Requirement, Risk

H, M, L = Risk.HIGH, Risk.MEDIUM, Risk.LOW
PQ, PS, DI = Impact.PRODUCT_QUALITY, Impact.PATIENT_SAFETY, Impact.DATA_INTEGRITY

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "EVT-001",
        "Anyone in the QMS logs feedback from any source with one audit event; the QA "
        "team classifies it as a complaint or not with the reason, once and never as its "
        'author, and "not a complaint" may be reclassified with a reason.',
        ("ISO 13485 8.2.1", "ISO 13485 8.2.2"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "EVT-002",
        "A complaint opens with its device and its awareness date-time (defaulting to "
        "when the feedback was received, never in the future), which starts every "
        "vigilance clock.",
        ("ISO 13485 8.2.2", "ISO 13485 8.2.3", "UK MDR 2002 Part 4A"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-003",
        "Every complaint edit is one audit event with each change old to new, an edit "
        "that changes nothing writes nothing, and the author of a complaint cannot edit "
        "it.",
        ("ISO 13485 8.2.2", "21 CFR 11.10(e)", "Annex 11 9"),
        H,
        (DI,),
    ),
    Requirement(
        "EVT-004",
        "Related and duplicate complaints are linked by number and unlinked with a "
        "reason; a CAPA judged needed or not says why.",
        ("ISO 13485 8.2.2",),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-005",
        "Patient health data is masked without core.health_data:read on pages, the API, "
        "the audit trail, exports, PDFs and the PMS pack; a read by a holder is recorded, "
        "and someone who may not read it cannot overwrite it.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "EVT-006",
        "A reportability decision is guided by yes/no questions with no default answer, "
        'its category follows from the answers, it is signed ("Reportability decided") '
        "with a rationale, and a later decision supersedes the one in force without "
        "editing it; a missing answer, a wrong password or a changed complaint signs "
        "nothing.",
        ("ISO 13485 8.2.3", "UK MDR 2002 Part 4A", "21 CFR 11.50", "21 CFR 11.200(a)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-007",
        "Only a QA lead holding events.vigilance:decide and trained on the complaint "
        "procedure signs a reportability decision; the author and top management are "
        "refused.",
        ("ISO 13485 8.2.3", "21 CFR 11.10(g)", "21 CFR 11.10(i)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-008",
        "A complaint closes with the QA lead's signature only when a decision is in "
        "force, the investigation and root cause are given, a needed CAPA is linked, a "
        "reply or a note why none is recorded, and every other area's rule (a reportable "
        "complaint's final report) allows it.",
        ("ISO 13485 8.2.2", "ISO 13485 8.2.3", "21 CFR 11.50"),
        H,
        (PS, PQ),
    ),
    Requirement(
        "EVT-009",
        "The vigilance deadline follows the clock rule in force on the day of awareness, "
        "counted in UK days across summer time, and reads as the end of its last UK day; "
        "a report sent by then is on time, and a submission time in the future or before "
        "awareness is refused.",
        ("UK MDR 2002 Part 4A", "ISO 13485 8.2.3"),
        H,
        (PS,),
    ),
    Requirement(
        "EVT-010",
        "Clock rules are dated rows added only by holders of events.config:manage, never "
        "edited, each dated after the latest of its category; a bad rule is refused and "
        "nothing is written.",
        ("UK MDR 2002 Part 4A", "21 CFR 11.10(e)", "21 CFR 11.10(g)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-011",
        "Running clocks show time left and overdue in red, soonest first, on the "
        "vigilance dashboard and the complaint page, with the on-time rate; escalating "
        "emails go at the decision, half time, 2 days, 1 day and overdue to the QA leads "
        "and the UK Responsible Person, each once, until the initial report is submitted.",
        ("UK MDR 2002 Part 4A", "ISO 13485 8.2.3"),
        M,
        (PS,),
    ),
    Requirement(
        "EVT-012",
        "Incident reports (initial, follow-up, final) are drafted from the complaint and "
        "the device register, edited as drafts with only the changes audited, follow in "
        "sequence, and a final report ends the series; only a reportable complaint is "
        "reported.",
        ("ISO 13485 8.2.3", "UK MDR 2002 Part 4A"),
        M,
        (PS, PQ),
    ),
    Requirement(
        "EVT-013",
        "Only holders of events.vigilance:report draft incident reports and record their "
        "submission; anyone else is refused and nothing changes.",
        ("ISO 13485 8.2.3", "21 CFR 11.10(g)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-014",
        'Submitting an incident report is a signed step ("Submitted to the MHRA") '
        "covering the MHRA reference, time and outcome; whether it was on time is "
        "computed then and kept; a report is submitted once and never edited after; a "
        "wrong password or stale content submits nothing.",
        ("ISO 13485 8.2.3", "21 CFR 11.50", "21 CFR 11.70", "Annex 11 14"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-015",
        "An FSCA is opened, by those who handle quality events, planned with its devices, "
        "markets and units affected; an unknown device or market is refused by name, and "
        "an urgent FSCA needs its justification.",
        ("ISO 13485 8.3.3", "UK MDR 2002"),
        M,
        (PS, PQ),
    ),
    Requirement(
        "EVT-016",
        "A GB FSCA cannot start before the MHRA notification is recorded and dated before "
        "the start, unless urgent; an urgent FSCA is flagged until notified and cannot "
        "close before; the notification is recorded once, by holders of "
        "events.vigilance:report, never in the future.",
        ("UK MDR 2002", "ISO 13485 8.3.3"),
        H,
        (PS,),
    ),
    Requirement(
        "EVT-017",
        "Dated evidence that the UK Responsible Person and the approved body were told in "
        "advance closes the gaps shown; the field safety notice is a controlled document "
        "with the MHRA's review.",
        ("UK MDR 2002", "ISO 13485 8.3.3"),
        M,
        (PS,),
    ),
    Requirement(
        "EVT-018",
        "Units reached are reconciled per market, never more than affected; an FSCA "
        "closes with a signature, refused below 100% without a justification, before it "
        "started, without the signing permission or while another area's rule objects; a "
        "closed FSCA takes no more changes.",
        ("ISO 13485 8.3.3", "21 CFR 11.50"),
        H,
        (PS,),
    ),
    Requirement(
        "EVT-019",
        "Sales and exposure figures are audited and withdrawn with a reason (overlaps in "
        "one market refused), and a device's trend method is versioned, the old one kept.",
        ("ISO 13485 8.4", "UK MDR 2002 Part 4A"),
        M,
        (PS, PQ, DI),
    ),
    Requirement(
        "EVT-020",
        "Trends are computed as the hand-worked u-chart (k = 3) or a threshold per 1,000 "
        "units in UK months, in a constant number of queries, and shown as an SVG chart "
        "with its table, as .svg and as JSON.",
        ("ISO 13485 8.4", "UK MDR 2002 Part 4A"),
        M,
        (PS,),
    ),
    Requirement(
        "EVT-021",
        "Trend reports take their rates and method from the trend and go draft → "
        "submitted (signed, with the MHRA reference) → closed; an incomplete report or a "
        "refused submission changes nothing.",
        ("UK MDR 2002 Part 4A", "21 CFR 11.50"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-022",
        "A device's PMS plan is a controlled document linked to it with history; periodic "
        "reports are scheduled from its class (PSUR every 12 or 24 months, PMSR at least "
        "every 36) from the first placing on the market, each period starting where the "
        "last ended.",
        ("ISO 13485 8.2.1", "UK MDR 2002 Part 4A"),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-023",
        "A periodic report is completed with a signature by those who sign quality "
        "decisions and only with its document; its details are then frozen; a wrong "
        "password or stale content signs nothing.",
        ("UK MDR 2002 Part 4A", "21 CFR 11.50"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "EVT-024",
        "MHRA requests are due within 3 working days (England and Wales bank holidays as "
        "editable rows); whether the answer went on time is kept, and an answer before "
        "the request or twice is refused.",
        ("UK MDR 2002 Part 4A",),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-025",
        "Anyone who logs quality events raises a nonconformity from any source with a "
        "number and one event (an account with no role is refused); a supplier is named "
        "only for incoming goods or a supplier source, and one raised from a record is "
        "linked to it.",
        ("ISO 13485 8.3.1",),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-026",
        "Containment, impact assessment (delivered devices, prompting an FSCA) and "
        "disposition are recorded in order, each once; use as is needs a justification "
        "and return to supplier a supplier; a disposition that cannot be carried out is "
        "changed with a reason.",
        ("ISO 13485 8.3.1", "ISO 13485 8.3.3"),
        M,
        (PQ, PS),
    ),
    Requirement(
        "EVT-027",
        "A concession is authorised once, by the signature of someone who neither raised "
        "the nonconformity nor chose use as is; product used as is is not released before "
        "it.",
        ("ISO 13485 8.3.2", "21 CFR 11.50"),
        H,
        (PS, PQ),
    ),
    Requirement(
        "EVT-028",
        "A signed release closes a nonconformity after its disposition; rework needs a "
        "passed re-verification and whoever re-verified it cannot release it; one raised "
        "in error is closed with a signature and a reason.",
        ("ISO 13485 8.3.1", "21 CFR 11.50"),
        H,
        (PS, PQ),
    ),
    Requirement(
        "EVT-029",
        "Releasing a nonconformity that names a supplier records the supplier's "
        "performance in the same transaction; a failure rolls the release back.",
        ("ISO 13485 7.4.1", "ISO 13485 8.3.1"),
        M,
        (PQ, DI),
    ),
    Requirement(
        "EVT-030",
        "The database refuses a closed nonconformity with no disposition, one used as is "
        "without a concession, one reworked without a passed re-verification, and a "
        "closed CAPA not verified effective.",
        ("ISO 13485 8.3.1", "21 CFR 11.10(a)"),
        H,
        (PS, DI),
    ),
    Requirement(
        "EVT-031",
        "A quality event step or signature is refused to someone not trained on the "
        "record's procedure, writing nothing; permission and state are checked first, "
        "before the input is read.",
        ("21 CFR 11.10(i)", "ISO 13485 6.2"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "EVT-032",
        "A CAPA is raised with a number and one event, linked from its source record; its "
        "analysis keeps the whys in order and a root cause; its actions have owners and "
        "due dates and are done only with evidence; it links the procedure revisions it "
        "changed by name.",
        ("ISO 13485 8.5.2", "ISO 13485 8.5.3", "ISO 13485 4.2.4"),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-033",
        "CAPA steps run in order; verification waits for every action; not effective "
        "reopens the CAPA with a new plan round.",
        ("ISO 13485 8.5.2",),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-034",
        "The effectiveness result is signed by someone with the right who neither owns, "
        "opened nor verified the CAPA.",
        ("ISO 13485 8.5.2", "21 CFR 11.50", "21 CFR 11.10(g)"),
        H,
        (PQ, DI),
    ),
    Requirement(
        "EVT-035",
        "A CAPA closes with a signature only after it is verified effective and its "
        "regulatory impact is assessed, and, when it touches safety, once both the UK "
        "Responsible Person and the approved body were told; a closed CAPA cannot change.",
        ("ISO 13485 8.5.2", "21 CFR 11.50"),
        H,
        (PS, PQ),
    ),
    Requirement(
        "EVT-036",
        "Quality records are linked by their numbers and drawn as a graph within three "
        "links; a link is removed with a reason and kept; only QA leads link and unlink.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(e)"),
        M,
        (DI,),
    ),
    Requirement(
        "EVT-037",
        "A record the viewer cannot open is drawn unnamed and is not found by its number, "
        "and records are raised only from records that exist and the person may read.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "EVT-038",
        "An account with no role meets a 404 on every quality events page, export and API "
        "endpoint.",
        ("21 CFR 11.10(d)", "Annex 11 12.1"),
        H,
        (DI,),
    ),
    Requirement(
        "EVT-039",
        "A PDF of any quality record holds its content, its electronic signatures, its "
        "history in plain words and its linked records.",
        ("ISO 13485 4.2.5", "21 CFR 11.10(b)"),
        M,
        (DI,),
    ),
    Requirement(
        "EVT-040",
        "Lists export as CSV and XLSX without health data; incident reports as PDF and "
        "JSON (openqms.incident_report/1); PMS data packs and a device's PMS pack as ZIP "
        "with an index PDF.",
        ("ISO 13485 8.4", "21 CFR 11.10(b)"),
        L,
    ),
    Requirement(
        "EVT-041",
        "The QA lead sets on one page the procedure each kind of record follows, audited "
        "old to new.",
        ("ISO 13485 4.2.4",),
        M,
        (PQ,),
    ),
    Requirement(
        "EVT-042",
        "The overview, dashboard panels, My tasks and reminder emails (each once) name "
        "open records by age, running clocks, CAPA ageing, open signals and each next "
        "step to who takes it.",
        ("ISO 13485 8.4",),
        L,
    ),
    Requirement(
        "EVT-043",
        "The API refuses unknown edit fields and out-of-range ids with a clear 4xx, never "
        "a server error, writing nothing.",
        ("21 CFR 11.10(a)",),
        M,
        (DI,),
    ),
    Requirement(
        "EVT-044",
        "The demo tells the complaints, vigilance, FSCA, trends, PMS, nonconformance and "
        "CAPA story once, with trained procedures.",
        (),
        L,
    ),
    Requirement(
        "EVT-045",
        "Lists filter and cost the same queries however many rows; pages offer actions "
        "only to who may take them, and phone-width tables stack.",
        (),
        L,
    ),
)
