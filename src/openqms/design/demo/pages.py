"""Demo steps 60 and 66: RhythmCheck's design project (user needs, requirements,
specifications, verification tests and validation, traced end to end, authored by the
demo's engineer), and after release one requirement clarified through an approved
design change, so that the one link to it becomes suspect.

The texts describe a believable product: single-lead ECG from a wearable patch,
analysed for atrial fibrillation (AF), results reviewed by a clinician."""

from __future__ import annotations

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.core.modules import DemoStep
from openqms.core.signatures import Credentials
from openqms.design.actions import changes
from openqms.design.actions import items as design
from openqms.design.demo import plans
from openqms.design.models import ChangeState, DesignChange, DesignProject, Item
from openqms.devices.models import Device

NAME = "RhythmCheck"
AUTHOR = "author"

# One item per block: "UID type [link kind TARGET[,TARGET…]] | title", then its text
# indented. RhythmCheck's trace: needs → requirements (some derived from others) →
# specifications and tests; validation of the needs. REQ-18 comes from the standard
# (IEC 62304 5.8 release identification), not from a user need.
ITEMS = """
UN-1 user_need | Find AF episodes
    A clinician can find the episodes of atrial fibrillation in a patient's
    recording without reading all of it.
UN-2 user_need | Trust a negative result
    A clinician can rely on a recording reported as free of AF not to hide a
    clinically relevant episode.
UN-3 user_need | Review the evidence
    A clinician can see the ECG strip behind each flagged episode before accepting
    it.
UN-4 user_need | Reports for the record
    A clinician can file a report of the analysis in the patient's record.
UN-5 user_need | Poor signal is said
    A clinician is told when part of a recording could not be analysed because the
    signal was poor.
UN-6 user_need | Results in time
    A clinician receives results within the working day the recording is uploaded.
UN-7 user_need | Patient data protected
    Patients' recordings and results are seen only by the clinicians caring for
    them.
UN-8 user_need | Easy upload
    Clinic staff can upload a patch recording in a few steps without technical help.
REQ-1 design_input derives_from UN-1 | AF detection sensitivity
    The analysis shall detect AF episodes of 30 s or longer with a sensitivity of at
    least 95% on the reference database.
REQ-2 design_input derives_from UN-2 | AF detection specificity
    The analysis shall have a positive predictive value of at least 90% for AF
    episodes of 30 s or longer.
REQ-3 design_input derives_from UN-1 | Episode boundaries
    Each detected episode shall be reported with its start and end times to within 5
    s.
REQ-4 design_input derives_from REQ-2 | Minimum episode duration
    Irregular rhythm shorter than 30 s shall not be reported as an AF episode.
REQ-5 design_input derives_from REQ-2 | Ectopic beats
    Frequent ectopic beats without AF shall not on their own produce an AF episode.
REQ-6 design_input derives_from UN-3 | ECG strip per episode
    For each episode the report shall show a 10 s ECG strip from its onset.
REQ-7 design_input derives_from REQ-6 | Strip scale
    ECG strips shall be shown at 25 mm/s and 10 mm/mV with a visible calibration
    mark.
REQ-8 design_input derives_from UN-4 | PDF report
    The software shall produce a PDF report with the patient identifier, recording
    period, AF burden and each episode.
REQ-9 design_input derives_from REQ-8 | AF burden
    The report shall state the AF burden as the percentage of analysable time spent
    in AF.
REQ-10 design_input derives_from UN-5 | Signal quality detection
    Segments whose signal quality is below the analysable threshold shall be marked
    and excluded from analysis.
REQ-11 design_input derives_from REQ-10 | Unanalysable time reported
    The report shall state the total unanalysable time and warn when it exceeds 20%
    of the recording.
REQ-12 design_input derives_from UN-6 | Analysis time
    A 14-day recording shall be analysed within 2 hours of upload.
REQ-13 design_input derives_from UN-6 | Result notification
    The clinician shall be notified when a result is ready.
REQ-14 design_input derives_from UN-7 | Access control
    Only users granted access to a patient's clinic shall see that patient's
    recordings and results.
REQ-15 design_input derives_from UN-7 | Encryption
    Recordings and results shall be encrypted in transit (TLS 1.2 or later) and at
    rest (AES-256).
REQ-16 design_input derives_from UN-8 | Upload formats
    The software shall accept recordings in the patch's native format and in EDF+.
REQ-17 design_input derives_from UN-8 | Upload integrity
    An upload shall be refused, with the reason shown, when the file is incomplete
    or corrupted.
REQ-18 design_input | Software version shown
    Every report shall show the software version and the algorithm version that
    produced it.
SPEC-1 design_output implements REQ-1 | R-peak detector
    Pan-Tompkins style R-peak detection at 250 Hz with adaptive thresholds; output:
    beat times.
SPEC-2 design_output implements REQ-1 | RR irregularity classifier
    Sliding 30 s window; features: RR variability, turning point ratio, P-wave
    absence score; gradient-boosted classifier v3.2.
SPEC-3 design_output implements REQ-3 | Episode merger
    Windows classified AF less than 10 s apart are merged; boundaries refined to the
    first and last irregular beat.
SPEC-4 design_output implements REQ-5 | Ectopy filter
    Premature beats with compensatory pause are removed from the RR series before
    classification.
SPEC-5 design_output implements REQ-7 | Strip renderer
    Renders 10 s strips at 25 mm/s, 10 mm/mV with a 1 mV calibration pulse.
SPEC-6 design_output implements REQ-8 | Report generator
    Builds the PDF report (PDF/A-2b) from the analysis result and the strip images.
SPEC-7 design_output implements REQ-10 | Signal quality index
    Per-second SQI from baseline wander, high-frequency noise and lead-off flags;
    threshold 0.6.
SPEC-8 design_output implements REQ-12 | Analysis queue
    Recordings are analysed by worker processes from a durable queue; 4 workers per
    analysis node.
SPEC-9 design_output implements REQ-13 | Notification service
    Sends an in-app notification and an email without patient data when a result is
    ready.
SPEC-10 design_output implements REQ-14 | Role-based access
    Clinic membership and roles checked on every request; no access without an
    explicit grant.
SPEC-11 design_output implements REQ-15 | Storage encryption
    Object storage with server-side AES-256 encryption; keys held in the cloud key
    management service.
SPEC-12 design_output implements REQ-17 | Upload validator
    Checks file header, length and checksum before accepting; EDF+ parsed with the
    reference reader.
TEST-1 verification verifies REQ-1 | Sensitivity on the reference database
    Run the analysis on the MIT-BIH AF and LTAF databases; sensitivity for episodes
    ≥ 30 s is at least 95%.
TEST-2 verification verifies REQ-2 | Positive predictive value
    Run the analysis on the reference databases; positive predictive value for
    episodes ≥ 30 s is at least 90%.
TEST-3 verification verifies REQ-3 | Episode boundary accuracy
    Compare detected start and end times with the annotations; 95% within 5 s.
TEST-4 verification verifies REQ-4 | Short runs not reported
    Synthetic recordings with 10–29 s irregular runs: no AF episode reported.
TEST-5 verification verifies REQ-5 | Ectopy without AF
    Recordings with frequent PVCs and PACs but no AF: no AF episode reported.
TEST-6 verification verifies REQ-6 | Strip per episode
    Every episode in the report has a 10 s strip starting at its onset.
TEST-7 verification verifies REQ-7 | Strip scale and calibration
    Measure printed strips: 25 mm/s ± 2%, 10 mm/mV ± 5%, calibration mark present.
TEST-8 verification verifies REQ-8 | PDF report content
    The report contains the patient identifier, recording period, AF burden and
    every episode.
TEST-9 verification verifies REQ-9 | AF burden calculation
    Known-burden synthetic recordings: reported burden within 1 percentage point.
TEST-10 verification verifies REQ-10 | Poor signal excluded
    Recordings with injected noise and lead-off: affected segments marked and not
    analysed.
TEST-11 verification verifies REQ-11 | Unanalysable time warning
    A recording with 25% poor signal shows the unanalysable time and the warning.
TEST-12 verification verifies REQ-12 | Analysis time
    Upload ten 14-day recordings at once; each result is ready within 2 hours.
TEST-13 verification verifies REQ-13 | Result notification
    A finished analysis notifies the clinician in-app and by email, with no patient
    data in the email.
TEST-14 verification verifies REQ-14 | Access across clinics refused
    A clinician of clinic A cannot open a recording of clinic B (page and API).
TEST-15 verification verifies REQ-15 | Encryption in transit and at rest
    TLS scan shows 1.2+ only; storage configuration shows AES-256 on every bucket.
TEST-16 verification verifies REQ-16 | Upload formats
    Native patch files and EDF+ files of the test set upload and analyse.
TEST-17 verification verifies REQ-17 | Corrupted upload refused
    Truncated and checksum-corrupted files are refused with the reason shown.
TEST-18 verification verifies REQ-18 | Versions on the report
    Every report shows the software and algorithm versions of the build under test.
VAL-1 validation validates UN-1,UN-2 | Clinical performance study
    Retrospective study of 300 patch recordings read by two cardiologists: AF
    detection against the consensus read.
VAL-2 validation validates UN-3,UN-4,UN-5 | Clinician usability study
    Formative and summative usability evaluation (IEC 62366-1) with 15 clinicians
    reviewing flagged episodes and reports.
VAL-3 validation validates UN-6,UN-8 | Clinic workflow pilot
    Four-week pilot in two clinics: upload by clinic staff and results within the
    working day.
VAL-4 validation validates UN-7 | Privacy review with a clinic
    Data protection impact assessment reviewed with a pilot clinic's information
    governance lead.
"""


def parse(data: str) -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    """(uid, type, title, text, [(kind, target uid), …]) for each block of `data`."""
    items: list[tuple[str, str, str, str, list[tuple[str, str]]]] = []
    for line in data.strip("\n").splitlines():
        if line.startswith(" "):
            uid, kind, title, text, links = items[-1]
            items[-1] = (uid, kind, title, f"{text} {line.strip()}".strip(), links)
            continue
        head, _, title = line.partition(" | ")
        uid, kind, *rest = head.split()
        links = [(rest[0], target) for target in rest[1].split(",")] if rest else []
        items.append((uid, kind, title, "", links))
    return items


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
        development_plan=plans.plan(plans.DEVELOPMENT_PLAN),
    )
    items: dict[str, Item] = {}
    for uid, kind, title, body, links in parse(ITEMS):
        items[uid] = design.create_item(
            actor=author, project=made, uid=uid, item_type=kind, title=title, text_=body
        )
        for link_kind, target in links:
            design.link_items(actor=author, source=items[uid], kind=link_kind, target=items[target])


CLARIFIED = "REQ-18"
CHANGE = "Versions on every report page"
CLARIFIED_TEXT = (
    "Every report, on every page, shall show the software version (as released, e.g. 2.1.0) "
    "and the algorithm version (e.g. AF classifier 3.2) that produced it."
)


def after_release() -> None:
    """Step 66: a requirement clarified after the release baseline was signed: the
    engineer records a design change naming it, the QA lead approves it, and the edit
    is made as part of it (ISO 13485 7.3.9), so the one link to the requirement (its
    verification test) becomes suspect. Once only."""
    author = User.objects.filter(username=AUTHOR).first()
    qa = User.objects.filter(username="qa").first()
    item = Item.objects.filter(project__name=NAME, uid=CLARIFIED).first()
    if author is None or qa is None or item is None or item.version > 1:
        return
    try:
        change = DesignChange.objects.filter(project=item.project, title=CHANGE).first()
        change = change or changes.create_change(
            actor=author,
            project=item.project,
            title=CHANGE,
            description=f"{CLARIFIED}: show the software and algorithm versions on every page.",
            reason="Pilot clinics printed single pages without the versions on them.",
            affected_items=[item],
            risk_assessment="No hazard affected: the report shows more, not less.",
        )
        if change.state == ChangeState.DRAFT:
            sign = Credentials(DEMO_PASSWORD)
            change = changes.approve_change(actor=qa, change=change, credentials=sign)
        design.edit_item(
            actor=author,
            item=item,
            title=item.title,
            text_=CLARIFIED_TEXT,
            reason="Clarified: the versions on every page of the report.",
            based_on=item.version,
            change=change,
        )
    except DomainError:
        return  # the story's state refuses a step: leave it there


# What module.py lists (its demo section names them through this one line).
STEPS = [
    DemoStep("design: RhythmCheck's design project", project, order=60),
    DemoStep("design: a requirement clarified after release", after_release, order=66),
]
