import datetime as dt

import pytest

from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.signatures import Credentials, manifestations
from openqms.events.actions import complaints as actions
from openqms.events.models import ReportabilityDecision
from openqms.testing import changes_of, event_count, events_since

from .complaints_setup import NOT_SERIOUS, SERIOUS, decide, open_complaint
from .conftest import uk


@pytest.mark.verifies("EVT-006", "EVT-009")
def test_a_signed_decision_stores_the_category_rule_and_deadline(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    decision = decide(cast, complaint)
    assert decision.category == "death_or_unanticipated" and decision.in_force
    assert decision.rule.days == 10
    # Aware 2 March 09:30 UK: the 10th day after is 12 March, ending at UK midnight.
    assert decision.deadline_at == uk("2026-03-13 00:00").astimezone(dt.UTC)
    signed, decided = events_since(before)
    assert (signed.action, changes_of(signed)["meaning"]) == (
        "core.signature.signed",
        "reportability_decided",
    )
    assert (decided.action, decided.object_id) == ("events.complaint.decided", str(complaint.pk))
    assert changes_of(decided) == {
        "category": [None, "death_or_unanticipated"],
        "deadline_at": [None, "2026-03-13T00:00:00.000000+00:00"],
        "rationale": [None, "Admitted to hospital."],
        "decision": [None, decision.pk],
    }
    [shown] = manifestations(decision)
    assert (shown.printed_name, shown.meaning, shown.valid) == (
        "Quinn Avery",
        "reportability_decided",
        True,
    )


@pytest.mark.verifies("EVT-006")
def test_a_not_reportable_decision_has_no_clock(cast, device):
    decision = decide(cast, open_complaint(cast, device), NOT_SERIOUS, "No harm.")
    assert (decision.category, decision.rule, decision.deadline_at) == (
        "not_reportable",
        None,
        None,
    )


@pytest.mark.verifies("EVT-006")
def test_a_later_decision_supersedes_the_one_in_force_never_editing_it(cast, device):
    complaint = open_complaint(cast, device)
    first = decide(cast, complaint, NOT_SERIOUS, "No harm known.")
    second = decide(cast, complaint, SERIOUS, "Patient admitted after all.")
    first.refresh_from_db()
    assert (first.in_force, first.category, first.rationale) == (
        False,
        "not_reportable",
        "No harm known.",
    )
    assert (second.in_force, second.supersedes_id) == (True, first.pk)
    assert actions.in_force(complaint) == second
    assert manifestations(first)[0].valid  # the first signature still holds
    decided = events_since(event_count() - 1)[0]
    assert changes_of(decided)["category"] == ["not_reportable", "death_or_unanticipated"]


@pytest.mark.verifies("EVT-007", refusal=True)
def test_the_author_cannot_decide_and_nothing_is_written(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    with pytest.raises(PermissionRefused):
        decide(cast, complaint, actor=cast.author)
    assert (event_count(), ReportabilityDecision.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-006", refusal=True)
def test_a_decision_without_a_rationale_is_refused(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        decide(cast, complaint, rationale="")
    assert "rationale" in refused.value.fields
    assert (event_count(), ReportabilityDecision.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-006", refusal=True)
def test_an_answer_that_is_not_yes_or_no_is_refused(cast, device):
    complaint = open_complaint(cast, device)
    with pytest.raises(InvalidInput) as refused:
        decide(cast, complaint, SERIOUS | {"death": "maybe"})
    assert "death" in refused.value.fields
    assert ReportabilityDecision.objects.count() == 0


@pytest.mark.verifies("EVT-006", refusal=True)
def test_a_wrong_password_signs_nothing(cast, device):
    complaint = open_complaint(cast, device)
    with pytest.raises(ReauthenticationFailed):
        actions.decide_reportability(
            actor=cast.qa_lead,
            complaint=complaint,
            answers=SERIOUS,
            rationale="x",
            credentials=Credentials("wrong"),
        )
    assert ReportabilityDecision.objects.count() == 0


@pytest.mark.verifies("EVT-006", refusal=True)
def test_a_closed_complaint_takes_no_new_decision(cast, device):
    from .complaints_setup import ready_to_close
    from .conftest import SIGN

    complaint = ready_to_close(cast, device)
    actions.close_complaint(
        actor=cast.qa_lead, complaint=complaint, closure_note="", credentials=SIGN
    )
    with pytest.raises(TransitionNotAllowed):
        decide(cast, complaint)
    assert ReportabilityDecision.objects.count() == 1


@pytest.mark.verifies("EVT-007", "EVT-031", refusal=True)
def test_a_qa_lead_not_trained_on_the_complaint_procedure_cannot_sign_a_decision(cast, device):
    from openqms.events.models import EventProcedure
    from openqms.training.models import TrainingRule

    from .conftest import effective_document

    complaint = open_complaint(cast, device)
    procedure = effective_document(cast, "Complaint handling")
    EventProcedure.objects.create(kind="complaint", document=procedure)
    TrainingRule.objects.filter(doc_type__code="procedure").update(gate=True)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not trained on"):
        decide(cast, complaint)
    assert (event_count(), ReportabilityDecision.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-007", refusal=True)
def test_management_signs_other_steps_but_not_a_reportability_decision(cast, device):
    complaint = open_complaint(cast, device)
    before = event_count()
    with pytest.raises(PermissionRefused, match="reportability"):
        decide(cast, complaint, actor=cast.manager)
    assert (event_count(), ReportabilityDecision.objects.count()) == (before, 0)
