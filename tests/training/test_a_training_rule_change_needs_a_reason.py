"""Changing a document type's training rule says why: the reason is required on the page,
in the API and in the action, and is kept with the audit event."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.testing import event_count, events_since
from openqms.training import actions
from openqms.training.models import TrainingRule

from .test_api_training import Api


def _rule():
    return TrainingRule.objects.values_list("due_days", "gate", "effectiveness_check").get(
        doc_type__code="procedure"
    )


@pytest.mark.verifies("TRN-013")
def test_the_reason_is_kept_with_the_event(cast, sop_type):
    before = event_count()
    actions.update_training_rule(
        actor=cast.qa_lead,
        doc_type=sop_type,
        due_days=14,
        gate=True,
        effectiveness_check=False,
        reason=" CAPA-012: untrained approvals ",
    )
    (event,) = events_since(before)
    assert (event.action, event.reason) == (
        "training.rule.updated",
        "CAPA-012: untrained approvals",
    )
    assert _rule() == (14, True, False)


@pytest.mark.verifies("TRN-013", refusal=True)
@pytest.mark.parametrize("reason", ["", "   "])
def test_no_reason_is_refused_and_nothing_changes(cast, sop_type, reason):
    before, rule = event_count(), _rule()
    with pytest.raises(InvalidInput) as refused:
        actions.update_training_rule(
            actor=cast.qa_lead,
            doc_type=sop_type,
            due_days=14,
            gate=True,
            effectiveness_check=True,
            reason=reason,
        )
    assert (refused.value.message, refused.value.fields) == (
        "Give the reason.",
        {"reason": "Required."},
    )
    assert (event_count(), _rule()) == (before, rule)


def test_the_page_asks_for_the_reason(signed_in, cast):
    client = signed_in(cast.qa_lead)
    before, rule = event_count(), _rule()
    page = client.post("/training/rules/procedure/", {"due_days": "14", "gate": "on"})
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert page.context["form"].errors == {"reason": ["This field is required."]}
    assert (event_count(), _rule()) == (before, rule)
    response = client.post(
        "/training/rules/procedure/", {"due_days": "14", "gate": "on", "reason": "CAPA-012"}
    )
    assert response.status_code == 302
    (event,) = events_since(before)
    assert event.reason == "CAPA-012"


def test_the_api_asks_for_the_reason(client, cast):
    qa = Api(client, cast.qa_lead)
    before, rule = event_count(), _rule()
    body = {"due_days": 14, "gate": True, "effectiveness_check": False}
    assert qa.put("/rules/procedure", body).status_code == 422
    assert (event_count(), _rule()) == (before, rule)
    assert qa.put("/rules/procedure", body | {"reason": "CAPA-012"}).status_code == 200
    (event,) = events_since(before)
    assert event.reason == "CAPA-012"
