"""Demo step 63: RhythmCheck's risk file (ISO 14971) — fifteen hazardous situations of an
AF-detection software device, estimated before and after their controls, most residual
risks acceptable and one to be reduced as far as possible with its benefit-risk analysis,
the report signed, and one open risk review from the serious-incident complaint.
Controls are linked to the demo's design inputs (and the tests that verify them) where a
matching one exists; skipped otherwise. Idempotent; skips without the device."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.design.actions import items as design
from openqms.design.actions import risk
from openqms.design.demo import plans
from openqms.design.models import Item, Link, RiskFile
from openqms.devices.models import Device
from openqms.events.models import Complaint

MISSED_AF = "Missed atrial fibrillation episode, patient admitted"

# (hazard, category, sequence, situation, harm, S, P or (P1, P2), residual S, P,
#  [(control type, description, keyword of the design input it is implemented by)],
#  benefit-risk)
SITUATIONS: list[tuple[Any, ...]] = [
    (
        "Missed AF episode (false negative)",
        "Algorithm performance",
        "A short paroxysmal AF episode falls below the detection threshold.",
        "The clinician reads a report with no AF flagged.",
        "Delayed anticoagulation; stroke",
        4,
        (3, 3),
        4,
        2,
        [
            (
                "inherent",
                "Detection algorithm validated on a clinical dataset to a sensitivity of "
                "at least 95 % for episodes of 30 s or longer.",
                "sensitivity",
            ),
            (
                "information",
                "Instructions for use: the report supports and does not replace the "
                "clinician's review of the ECG.",
                "instructions",
            ),
        ],
        "Residual false negatives cannot be removed without an unacceptable rise in false "
        "alarms. Without the device most of these patients would not be monitored at all; "
        "the clinical evaluation shows the episodes detected prevent far more strokes than "
        "the missed ones could cause. Benefits outweigh the residual risk.",
    ),
    (
        "Missed AF in a noisy recording",
        "Signal quality",
        "Motion artefact masks the irregular rhythm during analysis.",
        "The noisy segment is reported as sinus rhythm.",
        "Delayed diagnosis of AF",
        4,
        3,
        4,
        1,
        [
            (
                "protective",
                "Signal quality index per segment; segments below the threshold are "
                "reported as 'not analysable', never as normal.",
                "noise",
            )
        ],
        "",
    ),
    (
        "False AF alarm",
        "Algorithm performance",
        "Frequent ectopic beats are classified as AF.",
        "The patient is told of suspected AF.",
        "Anxiety; unnecessary follow-up tests",
        2,
        4,
        2,
        2,
        [
            (
                "inherent",
                "Ectopic beat filter; specificity of at least 90 % on the validation dataset.",
                "specificity",
            )
        ],
        "",
    ),
    (
        "False AF alarm leading to treatment",
        "Algorithm performance",
        "A false AF finding is acted on without confirmation.",
        "Anticoagulation started without AF.",
        "Major bleeding",
        4,
        (2, 3),
        4,
        1,
        [
            (
                "information",
                "Report and instructions state that AF must be confirmed on a "
                "12-lead ECG before treatment.",
                "confirm",
            )
        ],
        "",
    ),
    (
        "Recording lost during upload",
        "Data integrity",
        "The connection drops while a recording uploads.",
        "No result is produced for the recording.",
        "Repeat recording; delayed diagnosis",
        2,
        3,
        2,
        1,
        [
            (
                "protective",
                "Uploads are resumable and checked by checksum; an incomplete "
                "upload is reported to the clinic.",
                "upload",
            )
        ],
        "",
    ),
    (
        "Corrupted ECG samples",
        "Data integrity",
        "Storage corruption alters samples of a stored recording.",
        "The analysis runs on altered data.",
        "Wrong rhythm reported",
        3,
        2,
        3,
        1,
        [
            (
                "protective",
                "Each recording is stored with a SHA-256 digest verified before analysis.",
                "integrity",
            )
        ],
        "",
    ),
    (
        "Report attached to the wrong patient",
        "Use error",
        "Two recordings are uploaded with swapped patient identifiers.",
        "A clinician reads another patient's result.",
        "Wrong or missed treatment",
        4,
        2,
        4,
        1,
        [
            (
                "protective",
                "Two patient identifiers are checked against the order before a "
                "result is released.",
                "patient",
            )
        ],
        "",
    ),
    (
        "Unauthorised access to health data",
        "Cybersecurity",
        "An attacker uses stolen clinician credentials.",
        "Patient ECGs and results are disclosed.",
        "Breach of confidentiality; distress",
        2,
        3,
        2,
        1,
        [
            (
                "protective",
                "Data encrypted in transit and at rest; clinician accounts need "
                "multi-factor authentication.",
                "encrypt",
            )
        ],
        "",
    ),
    (
        "Tampered analysis software",
        "Cybersecurity",
        "A modified build is deployed to the analysis servers.",
        "Results are produced by unvalidated code.",
        "Wrong rhythm reported",
        4,
        2,
        4,
        1,
        [
            (
                "protective",
                "Only signed release builds run; the signature is checked at start-up.",
                "signed",
            )
        ],
        "",
    ),
    (
        "Wrong episode time",
        "Data integrity",
        "The recorder's time zone is misread.",
        "Episode times are shifted by hours.",
        "Misattributed symptoms",
        2,
        3,
        2,
        1,
        [("inherent", "All times are stored in UTC with the recorder's offset.", "time")],
        "",
    ),
    (
        "AF burden misread",
        "Use error",
        "The burden chart's axis is misread as hours instead of percent.",
        "The clinician underestimates the AF burden.",
        "Under-treatment",
        3,
        2,
        3,
        1,
        [
            (
                "information",
                "Burden chart labelled with units; confirmed in usability validation.",
                "burden",
            )
        ],
        "",
    ),
    (
        "Delayed result",
        "Availability",
        "A processing backlog builds up after a server outage.",
        "Results arrive days late.",
        "Delayed diagnosis",
        3,
        3,
        3,
        1,
        [
            (
                "protective",
                "Results not delivered within 24 hours raise an alert to the "
                "service desk and the clinic.",
                "24 hours",
            )
        ],
        "",
    ),
    (
        "Unsupported recorder format",
        "Interoperability",
        "A recorder with an unsupported sampling rate is used.",
        "The algorithm analyses resampled data it was not validated on.",
        "Wrong rhythm reported",
        4,
        2,
        4,
        1,
        [
            (
                "protective",
                "Input validation refuses recordings outside the validated sampling "
                "rates and formats.",
                "sampling",
            )
        ],
        "",
    ),
    (
        "Regression in a software update",
        "Software lifecycle",
        "A code change lowers sensitivity unnoticed.",
        "Released version misses more AF.",
        "Delayed anticoagulation; stroke",
        4,
        2,
        4,
        1,
        [
            (
                "protective",
                "Every release is tested against the reference ECG dataset; the "
                "release is blocked if sensitivity drops.",
                "reference",
            )
        ],
        "",
    ),
    (
        "'No AF detected' read as a normal heart",
        "Use error",
        "The clinician reads 'no AF detected' as 'normal ECG'.",
        "Other arrhythmias are not looked for.",
        "Missed other arrhythmia",
        3,
        3,
        3,
        2,
        [("information", "Report wording states the device detects AF only.", "only")],
        "",
    ),
]


def _estimate(value: Any) -> dict[str, Any]:
    if isinstance(value, tuple):
        return {"p1": value[0], "p2": value[1]}
    return {"probability": value}


def _input_for(project_id: int | None, keyword: str) -> Item | None:
    if project_id is None:
        return None
    text = Q(title__icontains=keyword) | Q(text__icontains=keyword)
    found = Item.objects.filter(
        project_id=project_id, item_type__code="design_input", state="active"
    )
    return found.filter(text).order_by("uid").first()


def _link_design(author: User, control_item: Item | None, keyword: str) -> None:
    """The design input that implements the control and the tests that verify it: the
    story's own requirement where one is about `keyword` (its tests verify the control
    too), else a requirement and a test written for the control, as a team does when a
    risk control has no requirement yet (ISO 14971 7.2: controls are verified)."""
    if control_item is None:
        return
    project = control_item.project
    req = _input_for(control_item.project_id, keyword)
    tests = []
    if req is not None:
        verifying = Link.objects.filter(
            target=req, kind="verifies", source__item_type__code="verification"
        )
        tests = [link.source for link in verifying.select_related("source")[:2]]
    if req is None:
        req = design.create_item(
            actor=author,
            project=project,
            uid=f"REQ-{control_item.uid}",
            item_type="design_input",
            title=f"Implement {control_item.uid}",
            text_=control_item.text,
        )
    design.link_items(actor=author, source=req, kind="implements", target=control_item)
    if not tests:
        test = design.create_item(
            actor=author,
            project=project,
            uid=f"TEST-{control_item.uid}",
            item_type="verification",
            title=f"Verify {control_item.uid}",
            text_=f"Show that {req.uid} is met and that {control_item.uid} works as stated.",
        )
        design.link_items(actor=author, source=test, kind="verifies", target=req)
        tests = [test]
    for test in tests:
        design.link_items(actor=author, source=test, kind="verifies", target=control_item)


def run() -> None:
    device = Device.objects.filter(name="RhythmCheck").first()
    qa = User.objects.filter(username="qa").first()
    author = User.objects.filter(username="author").first()
    if device is None or qa is None or author is None:
        return
    if RiskFile.objects.filter(device=device).exists():
        return
    plan = plans.plan(plans.RISK_PLAN)
    file = risk.create_risk_file(actor=author, device=device, plan=plan)
    for row in SITUATIONS:
        title, category, sequence, situation, harm, s, p, rs, rp, controls, benefit = row
        hazard = risk.add_hazard(actor=author, file=file, title=title, category=category)
        found = risk.add_situation(
            actor=author,
            hazard=hazard,
            sequence=sequence,
            situation=situation,
            harm=harm,
            severity=s,
            **_estimate(p),
        )
        for kind, description, keyword in controls:
            control = risk.add_control(
                actor=author, situation=found, kind=kind, description=description
            )
            _link_design(author, control.item, keyword)
        found = risk.estimate_residual(actor=author, situation=found, severity=rs, probability=rp)
        risk.evaluate_situation(actor=author, situation=found, benefit_risk=benefit)
    risk.edit_risk_file(
        actor=author,
        file=file,
        plan=plan,
        overall_residual_risk=(
            "All residual risks are acceptable except HS-001 (missed AF), reduced as far as "
            "possible and justified by its benefit-risk analysis. Taken together, the "
            "residual risk is acceptable in relation to the clinical benefit of monitoring."
        ),
    )
    risk.sign_report(
        actor=qa,
        file=file,
        credentials=Credentials(DEMO_PASSWORD),
        conclusion="The risk management plan was carried out; release 1.0 may ship.",
        residual_acceptable=True,
        plan_followed=True,
    )
    complaint = Complaint.objects.filter(title=MISSED_AF).first()
    if complaint is not None:
        risk.open_review(actor=qa, record=complaint)
