"""Demo steps 60 and 66: RhythmCheck's design project (user needs, requirements,
specifications, verification tests and validation, traced end to end, authored by the
demo's engineer), and after release one requirement clarified, so that the one link
to it becomes suspect.

The texts describe a believable product: single-lead ECG from a wearable patch,
analysed for atrial fibrillation (AF), results reviewed by a clinician."""

from __future__ import annotations

from openqms.core.models import User
from openqms.core.modules import DemoStep
from openqms.design.actions import items as design
from openqms.design.models import DesignProject, Item
from openqms.devices.models import Device

NAME = "RhythmCheck"
AUTHOR = "author"

NEEDS = [
    ("UN-1", "Find AF episodes", "A clinician can find the episodes of atrial fibrillation in a patient's recording without reading all of it."),
    ("UN-2", "Trust a negative result", "A clinician can rely on a recording reported as free of AF not to hide a clinically relevant episode."),
    ("UN-3", "Review the evidence", "A clinician can see the ECG strip behind each flagged episode before accepting it."),
    ("UN-4", "Reports for the record", "A clinician can file a report of the analysis in the patient's record."),
    ("UN-5", "Poor signal is said", "A clinician is told when part of a recording could not be analysed because the signal was poor."),
    ("UN-6", "Results in time", "A clinician receives results within the working day the recording is uploaded."),
    ("UN-7", "Patient data protected", "Patients' recordings and results are seen only by the clinicians caring for them."),
    ("UN-8", "Easy upload", "Clinic staff can upload a patch recording in a few steps without technical help."),
]
# uid, title, text, derived from (a user need or a requirement; "" for a standard's own)
REQUIREMENTS = [
    ("REQ-1", "AF detection sensitivity", "The analysis shall detect AF episodes of 30 s or longer with a sensitivity of at least 95% on the reference database.", "UN-1"),
    ("REQ-2", "AF detection specificity", "The analysis shall have a positive predictive value of at least 90% for AF episodes of 30 s or longer.", "UN-2"),
    ("REQ-3", "Episode boundaries", "Each detected episode shall be reported with its start and end times to within 5 s.", "UN-1"),
    ("REQ-4", "Minimum episode duration", "Irregular rhythm shorter than 30 s shall not be reported as an AF episode.", "REQ-2"),
    ("REQ-5", "Ectopic beats", "Frequent ectopic beats without AF shall not on their own produce an AF episode.", "REQ-2"),
    ("REQ-6", "ECG strip per episode", "For each episode the report shall show a 10 s ECG strip from its onset.", "UN-3"),
    ("REQ-7", "Strip scale", "ECG strips shall be shown at 25 mm/s and 10 mm/mV with a visible calibration mark.", "REQ-6"),
    ("REQ-8", "PDF report", "The software shall produce a PDF report with the patient identifier, recording period, AF burden and each episode.", "UN-4"),
    ("REQ-9", "AF burden", "The report shall state the AF burden as the percentage of analysable time spent in AF.", "REQ-8"),
    ("REQ-10", "Signal quality detection", "Segments whose signal quality is below the analysable threshold shall be marked and excluded from analysis.", "UN-5"),
    ("REQ-11", "Unanalysable time reported", "The report shall state the total unanalysable time and warn when it exceeds 20% of the recording.", "REQ-10"),
    ("REQ-12", "Analysis time", "A 14-day recording shall be analysed within 2 hours of upload.", "UN-6"),
    ("REQ-13", "Result notification", "The clinician shall be notified when a result is ready.", "UN-6"),
    ("REQ-14", "Access control", "Only users granted access to a patient's clinic shall see that patient's recordings and results.", "UN-7"),
    ("REQ-15", "Encryption", "Recordings and results shall be encrypted in transit (TLS 1.2 or later) and at rest (AES-256).", "UN-7"),
    ("REQ-16", "Upload formats", "The software shall accept recordings in the patch's native format and in EDF+.", "UN-8"),
    ("REQ-17", "Upload integrity", "An upload shall be refused, with the reason shown, when the file is incomplete or corrupted.", "UN-8"),
    ("REQ-18", "Software version shown", "Every report shall show the software version and the algorithm version that produced it.", ""),
]
# uid, title, text, implements
SPECIFICATIONS = [
    ("SPEC-1", "R-peak detector", "Pan-Tompkins style R-peak detection at 250 Hz with adaptive thresholds; output: beat times.", "REQ-1"),
    ("SPEC-2", "RR irregularity classifier", "Sliding 30 s window; features: RR variability, turning point ratio, P-wave absence score; gradient-boosted classifier v3.2.", "REQ-1"),
    ("SPEC-3", "Episode merger", "Windows classified AF less than 10 s apart are merged; boundaries refined to the first and last irregular beat.", "REQ-3"),
    ("SPEC-4", "Ectopy filter", "Premature beats with compensatory pause are removed from the RR series before classification.", "REQ-5"),
    ("SPEC-5", "Strip renderer", "Renders 10 s strips at 25 mm/s, 10 mm/mV with a 1 mV calibration pulse.", "REQ-7"),
    ("SPEC-6", "Report generator", "Builds the PDF report (PDF/A-2b) from the analysis result and the strip images.", "REQ-8"),
    ("SPEC-7", "Signal quality index", "Per-second SQI from baseline wander, high-frequency noise and lead-off flags; threshold 0.6.", "REQ-10"),
    ("SPEC-8", "Analysis queue", "Recordings are analysed by worker processes from a durable queue; 4 workers per analysis node.", "REQ-12"),
    ("SPEC-9", "Notification service", "Sends an in-app notification and an email without patient data when a result is ready.", "REQ-13"),
    ("SPEC-10", "Role-based access", "Clinic membership and roles checked on every request; no access without an explicit grant.", "REQ-14"),
    ("SPEC-11", "Storage encryption", "Object storage with server-side AES-256 encryption; keys held in the cloud key management service.", "REQ-15"),
    ("SPEC-12", "Upload validator", "Checks file header, length and checksum before accepting; EDF+ parsed with the reference reader.", "REQ-17"),
]
# uid, title, text; TEST-n verifies REQ-n
TESTS = [
    ("Sensitivity on the reference database", "Run the analysis on the MIT-BIH AF and LTAF databases; sensitivity for episodes ≥ 30 s is at least 95%."),
    ("Positive predictive value", "Run the analysis on the reference databases; positive predictive value for episodes ≥ 30 s is at least 90%."),
    ("Episode boundary accuracy", "Compare detected start and end times with the annotations; 95% within 5 s."),
    ("Short runs not reported", "Synthetic recordings with 10–29 s irregular runs: no AF episode reported."),
    ("Ectopy without AF", "Recordings with frequent PVCs and PACs but no AF: no AF episode reported."),
    ("Strip per episode", "Every episode in the report has a 10 s strip starting at its onset."),
    ("Strip scale and calibration", "Measure printed strips: 25 mm/s ± 2%, 10 mm/mV ± 5%, calibration mark present."),
    ("PDF report content", "The report contains the patient identifier, recording period, AF burden and every episode."),
    ("AF burden calculation", "Known-burden synthetic recordings: reported burden within 1 percentage point."),
    ("Poor signal excluded", "Recordings with injected noise and lead-off: affected segments marked and not analysed."),
    ("Unanalysable time warning", "A recording with 25% poor signal shows the unanalysable time and the warning."),
    ("Analysis time", "Upload ten 14-day recordings at once; each result is ready within 2 hours."),
    ("Result notification", "A finished analysis notifies the clinician in-app and by email, with no patient data in the email."),
    ("Access across clinics refused", "A clinician of clinic A cannot open a recording of clinic B (page and API)."),
    ("Encryption in transit and at rest", "TLS scan shows 1.2+ only; storage configuration shows AES-256 on every bucket."),
    ("Upload formats", "Native patch files and EDF+ files of the test set upload and analyse."),
    ("Corrupted upload refused", "Truncated and checksum-corrupted files are refused with the reason shown."),
    ("Versions on the report", "Every report shows the software and algorithm versions of the build under test."),
]
VALIDATIONS = [
    ("VAL-1", "Clinical performance study", "Retrospective study of 300 patch recordings read by two cardiologists: AF detection against the consensus read.", ["UN-1", "UN-2"]),
    ("VAL-2", "Clinician usability study", "Formative and summative usability evaluation (IEC 62366-1) with 15 clinicians reviewing flagged episodes and reports.", ["UN-3", "UN-4", "UN-5"]),
    ("VAL-3", "Clinic workflow pilot", "Four-week pilot in two clinics: upload by clinic staff and results within the working day.", ["UN-6", "UN-8"]),
    ("VAL-4", "Privacy review with a clinic", "Data protection impact assessment reviewed with a pilot clinic's information governance lead.", ["UN-7"]),
]


def project() -> None:
    """Step 60: the design project, its items and its links (idempotent)."""
    author = User.objects.filter(username=AUTHOR).first()
    if author is None or DesignProject.objects.filter(name=NAME).exists():
        return
    made = design.create_project(
        actor=author,
        name=NAME,
        title="RhythmCheck 2.1: AF detection from single-lead patch ECG",
        device=Device.objects.filter(name="RhythmCheck").first(),
    )
    items: dict[str, Item] = {}

    def add(uid: str, kind: str, title: str, body: str) -> Item:
        items[uid] = design.create_item(
            actor=author, project=made, uid=uid, item_type=kind, title=title, text_=body
        )
        return items[uid]

    def link(source: str, kind: str, target: str) -> None:
        design.link_items(actor=author, source=items[source], kind=kind, target=items[target])

    for uid, title, body in NEEDS:
        add(uid, "user_need", title, body)
    for uid, title, body, parent in REQUIREMENTS:
        add(uid, "design_input", title, body)
        if parent:
            link(uid, "derives_from", parent)
    for uid, title, body, req in SPECIFICATIONS:
        add(uid, "design_output", title, body)
        link(uid, "implements", req)
    for n, (title, body) in enumerate(TESTS, start=1):
        add(f"TEST-{n}", "verification", title, body)
        link(f"TEST-{n}", "verifies", f"REQ-{n}")
    for uid, title, body, needs in VALIDATIONS:
        add(uid, "validation", title, body)
        for need in needs:
            link(uid, "validates", need)


CLARIFIED = "REQ-18"
CLARIFIED_TEXT = (
    "Every report, on every page, shall show the software version (as released, e.g. 2.1.0) "
    "and the algorithm version (e.g. AF classifier 3.2) that produced it."
)


def after_release() -> None:
    """Step 66: a requirement clarified after the release baseline, so the one link to
    it (its verification test) becomes suspect. Once only."""
    author = User.objects.filter(username=AUTHOR).first()
    item = Item.objects.filter(project__name=NAME, uid=CLARIFIED).first()
    if author is None or item is None or item.version > 1:
        return
    design.edit_item(
        actor=author, item=item, title=item.title, text_=CLARIFIED_TEXT, based_on=item.version
    )


# What module.py lists (its demo section names them through this one line).
STEPS = [
    DemoStep("design: RhythmCheck's design project", project, order=60),
    DemoStep("design: a requirement clarified after release", after_release, order=66),
]
