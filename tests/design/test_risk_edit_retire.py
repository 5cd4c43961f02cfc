"""Hazards, hazardous situations and controls are edited and retired through actions:
audited old → new, their design items follow through the items path, a signed report is
opened again, and a refusal writes nothing."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.design.actions import risk
from openqms.design.models import (
    ControlMeasure,
    Hazard,
    HazardousSituation,
    Item,
    ItemState,
    Link,
    LinkState,
    ReportState,
    RiskFile,
)
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401

pytestmark = pytest.mark.verifies("DES-049")

NEW_SITUATION = {
    "sequence": "The algorithm misses an AF episode in a noisy recording.",
    "statement": "The clinician reads a normal report and sends the patient home.",
    "harm": "Delayed anticoagulation; stroke",
    "severity": 4,
    "probability": 2,
    "reason": "Clinical review of the noise study.",
}


def control_of(cast, found, description="Noise gate on every segment."):
    return risk.add_control(
        actor=cast.author, situation=found, kind="protective", description=description
    )


def signed(cast, file, found):
    evaluated(cast, found)
    risk.edit_risk_file(actor=cast.author, file=file, overall_residual_risk="Acceptable.")
    risk.sign_report(
        actor=cast.qa_lead,
        file=file,
        credentials=SIGN,
        conclusion="All reduced.",
        residual_acceptable="yes",
        plan_followed="yes",
    )


def test_the_risk_item_is_titled_by_the_situation_and_carries_the_harm(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    item = found.item
    assert item.title == "The clinician reads a normal report."
    assert item.attributes["harm"] == "Delayed anticoagulation; stroke"
    assert "Harm:" not in item.title


def test_editing_a_hazard_is_audited_old_to_new(cast, risk_file):  # noqa: F811
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    risk.edit_hazard(
        actor=cast.author,
        hazard=hazard,
        title="Missed AF episode",
        category="SW",
        reason="Clearer.",
    )
    event = last_event()
    assert (event.action, event.reason) == ("design.hazard.edited", "Clearer.")
    assert changes_of(event) == {
        "title": ["Missed AF", "Missed AF episode"],
        "category": ["", "SW"],
    }


def test_an_unchanged_hazard_edit_is_refused_and_writes_nothing(cast, risk_file):  # noqa: F811
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    before = (event_count(), RiskFile.objects.get().revision)
    with pytest.raises(InvalidInput, match="Nothing changed in HAZ-001"):
        risk.edit_hazard(actor=cast.author, hazard=hazard, title="Missed AF", reason="Same.")
    assert (event_count(), RiskFile.objects.get().revision) == before


def test_editing_a_situation_versions_its_item_and_withdraws_the_evaluation(cast, risk_file):  # noqa: F811
    found = evaluated(cast, situation(cast, risk_file))
    link = Link.objects.get(pk=control_of(cast, found).item.links_out.get().pk)
    risk.edit_situation(actor=cast.author, situation=found, **NEW_SITUATION)
    found = HazardousSituation.objects.select_related("item").get(pk=found.pk)
    assert found.evaluated_at is None and found.region == "alarp"
    assert (found.item.version, found.item.title) == (2, NEW_SITUATION["statement"])
    assert Link.objects.get(pk=link.pk).state == LinkState.SUSPECT
    event = last_event()
    assert event.action == "design.risk_situation.edited"
    changes = changes_of(event)
    assert changes["severity"] == [3, 4]
    assert changes["region"] == ["acceptable", "alarp"]
    assert changes["evaluated"] == [True, False]
    assert changes["item"] == ["RISK-1 v1", "RISK-1 v2"]


def test_editing_a_situation_after_signing_opens_the_report_again(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    signed(cast, risk_file, found)
    risk.edit_situation(actor=cast.author, situation=found, **NEW_SITUATION)
    assert changes_of(last_event())["report"] == ["signed", "open"]
    assert RiskFile.objects.get().state == ReportState.OPEN


def test_a_bad_estimate_in_a_situation_edit_writes_nothing(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    before = (event_count(), Item.objects.get().version)
    with pytest.raises(InvalidInput, match="Level 9 is not on"):
        risk.edit_situation(actor=cast.author, situation=found, **(NEW_SITUATION | {"severity": 9}))
    assert (event_count(), Item.objects.get().version) == before
    assert HazardousSituation.objects.get().severity == 3


def test_editing_a_control_versions_its_item(cast, risk_file):  # noqa: F811
    control = control_of(cast, situation(cast, risk_file))
    risk.edit_control(
        actor=cast.author, control=control, kind="inherent", description="Gate.", reason="Simpler."
    )
    event = last_event()
    assert event.action == "design.risk_control.edited"
    assert changes_of(event) == {
        "kind": ["protective", "inherent"],
        "description": ["Noise gate on every segment.", "Gate."],
        "item": ["RC-1 v1", "RC-1 v2"],
    }
    assert Item.objects.get(uid="RC-1").attributes["control type"] == "inherent safety by design"


def test_retiring_a_control_retires_its_item_and_asks_for_evaluation_again(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control = control_of(cast, found)
    evaluated(cast, found)
    risk.retire_control(actor=cast.author, control=control, reason="Replaced by design.")
    event = last_event()
    assert (event.action, event.reason) == ("design.risk_control.retired", "Replaced by design.")
    assert changes_of(event) == {
        "retired": [False, True],
        "situation": [None, "HS-001"],
        "item": [None, "RC-1"],
        "residual_region": ["acceptable", None],
        "to_evaluate_again": [None, "HS-001"],
    }
    assert HazardousSituation.objects.get().residual_severity is None
    assert Item.objects.get(uid="RC-1").state == ItemState.RETIRED
    assert HazardousSituation.objects.get().evaluated_at is None
    with pytest.raises(TransitionNotAllowed, match="RC-1 is retired"):
        risk.edit_control(
            actor=cast.author, control=control, kind="inherent", description="x", reason="y"
        )


@pytest.mark.verifies("DES-049", refusal=True)
def test_retiring_needs_a_reason_and_writes_nothing_without_one(cast, risk_file):  # noqa: F811
    control = control_of(cast, situation(cast, risk_file))
    before = event_count()
    with pytest.raises(InvalidInput):
        risk.retire_control(actor=cast.author, control=control, reason="  ")
    assert (event_count(), ControlMeasure.objects.get().retired_at) == (before, None)
    assert Item.objects.get(uid="RC-1").state == ItemState.ACTIVE


def test_retiring_a_hazard_retires_its_situations_controls_and_items(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control_of(cast, found)
    other = situation(cast, risk_file, hazard=found.hazard)
    risk.retire_hazard(actor=cast.author, hazard=found.hazard, reason="Sensor removed.")
    event = last_event()
    assert event.action == "design.hazard.retired"
    assert changes_of(event)["situations"] == [None, ["HS-001", "HS-002"]]
    assert Hazard.objects.get().retired_at is not None
    assert not HazardousSituation.objects.filter(retired_at__isnull=True).exists()
    assert ControlMeasure.objects.get().retire_reason == "Sensor removed."
    states = set(Item.objects.values_list("state", flat=True))
    assert states == {ItemState.RETIRED}
    with pytest.raises(TransitionNotAllowed, match="HS-002 is retired"):
        risk.estimate_residual(actor=cast.author, situation=other, severity=1, probability=1)
    with pytest.raises(TransitionNotAllowed, match="HAZ-001 is retired"):
        situation(cast, risk_file, hazard=found.hazard)


def test_a_retired_situation_is_left_out_of_the_report_checks(cast, risk_file):  # noqa: F811
    evaluated(cast, situation(cast, risk_file))
    risk.edit_risk_file(actor=cast.author, file=risk_file, overall_residual_risk="Acceptable.")
    unevaluated = situation(cast, risk_file)
    assert "HS-002" in risk.report_refusal(RiskFile.objects.get())
    risk.retire_situation(actor=cast.author, situation=unevaluated, reason="Duplicate of HS-001.")
    assert changes_of(last_event())["retired"] == [False, True]
    assert risk.report_refusal(RiskFile.objects.get()) is None


@pytest.mark.verifies("DES-049", refusal=True)
def test_editing_a_situation_without_a_reason_is_refused_and_writes_nothing(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    before = (event_count(), Item.objects.get().version)
    with pytest.raises(InvalidInput, match="reason"):
        risk.edit_situation(actor=cast.author, situation=found, **(NEW_SITUATION | {"reason": " "}))
    assert (event_count(), Item.objects.get().version) == before
    assert HazardousSituation.objects.get().severity == 3


def test_after_release_a_situation_is_edited_only_as_part_of_a_design_change(cast, risk_file):  # noqa: F811
    from openqms.design.actions import baselines, changes
    from openqms.design.actions.risk.analysis import project_of

    found = situation(cast, risk_file)
    project = project_of(risk_file)
    made = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    baselines.sign_baseline(actor=cast.qa_lead, baseline=made, credentials=SIGN)
    before = (event_count(), Item.objects.get(uid="RISK-1").version)
    with pytest.raises(TransitionNotAllowed, match=r"release 1\.0"):
        risk.edit_situation(actor=cast.author, situation=found, **NEW_SITUATION)
    assert (event_count(), Item.objects.get(uid="RISK-1").version) == before
    assert HazardousSituation.objects.get().severity == 3
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="Noise study",
        description="Re-estimate HS-001.",
        reason="Field data.",
        affected_items=[found.item],
        risk_assessment="HS-001 re-estimated.",
    )
    change = changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)
    risk.edit_situation(
        actor=cast.author, situation=found, **(NEW_SITUATION | {"change": str(change.pk)})
    )
    item = Item.objects.get(uid="RISK-1")
    assert item.version == 2
    edited = [e for e in events_since_start() if e.action == "design.item.edited"][-1]
    assert changes_of(edited)["design_change"] == [None, change.number]


def events_since_start():
    from openqms.core.models import AuditEvent

    return list(AuditEvent.objects.order_by("pk"))
