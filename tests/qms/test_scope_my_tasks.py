"""My tasks: top management sees the version awaiting its signature; the QA lead sees the
approved body to notify, then its answer to record, then (when the body required one)
the reassessment to record, until it is done."""

import pytest
from django.utils import timezone

from openqms.core.inbox import tasks_for
from openqms.qms.actions import scope as actions
from openqms.qms.models import ScopeNotification

from .scope_world import certified_v1_and_v2_in_force, drafted

pytestmark = pytest.mark.django_db
FLAG = "Approved body must be notified — reassessment may be required"


def _titles(user):
    return [t.title for t in tasks_for(user) if t.kind.startswith(("QMS scope", "Scope change"))]


@pytest.mark.verifies("QMS-010")
def test_the_manager_is_asked_to_approve_a_submitted_scope(cast):
    actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    [task] = [t for t in tasks_for(cast.manager) if t.kind == "QMS scope to approve"]
    assert (task.title, task.url, task.meaning) == (
        "Approve QMS scope version 1",
        "/qms/scope/1/",
        "approved_scope",
    )
    assert _titles(cast.qa_lead) == []


def test_the_qa_lead_follows_the_notification_until_the_reassessment_is_done(cast):
    certified_v1_and_v2_in_force(cast)
    assert _titles(cast.qa_lead) == [f"{FLAG}: QMS scope version 2, send the notification"]
    notification = actions.record_notification_sent(
        actor=cast.qa_lead,
        notification=ScopeNotification.objects.get(),
        sent_on=timezone.localdate(),
        reference="AB-1",
    )
    assert _titles(cast.qa_lead) == [f"{FLAG}: QMS scope version 2, record its answer"]
    assert _titles(cast.author) == []
    notification = actions.record_body_answer(
        actor=cast.qa_lead,
        notification=notification,
        answer="required",
        answered_on=timezone.localdate(),
    )
    assert _titles(cast.qa_lead) == [f"{FLAG}: QMS scope version 2, record the reassessment"]
    actions.record_reassessment(
        actor=cast.qa_lead,
        notification=notification,
        reassessed_on=timezone.localdate(),
        reassessment="Report AB-R-7: scope extension granted.",
    )
    assert _titles(cast.qa_lead) == []
