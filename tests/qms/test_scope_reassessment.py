"""After the approved body answers "reassessment required", the new scope is certified
only once the reassessment is recorded as done (UK MDR 2002; ISO 13485 4.1.4): its date
and report are audited, and every refusal changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions import scope as actions
from openqms.qms.models import Certificate, ScopeNotification, ScopeVersion
from openqms.testing import changes_of, event_count, last_event

from .scope_world import certified_v1_and_v2_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REPORT = "Report AB-R-7: extension to HR-ACC granted."


def _answered(cast, answer="required", days_ago=0):
    _, v2 = certified_v1_and_v2_in_force(cast)
    notification = actions.record_notification_sent(
        actor=cast.qa_lead,
        notification=ScopeNotification.objects.get(),
        sent_on=TODAY() - dt.timedelta(days=days_ago),
        reference="AB-1",
    )
    notification = actions.record_body_answer(
        actor=cast.qa_lead,
        notification=notification,
        answer=answer,
        answered_on=TODAY() - dt.timedelta(days=days_ago),
    )
    return v2, notification


def _certify(cast, v2, day=None):
    return actions.mark_scope_certified(
        actor=cast.qa_lead,
        scope=v2,
        certificate=Certificate.objects.get(),
        certified_on=day or TODAY(),
    )


def _unchanged(v2):
    return (
        ScopeVersion.objects.values("certified_on").get(pk=v2.pk),
        ScopeNotification.objects.values().get(),
        event_count(),
    )


@pytest.mark.verifies("QMS-006", refusal=True)
def test_a_required_reassessment_refuses_certification_and_the_page_offers_none(cast, signed_in):
    v2, _ = _answered(cast)
    before = _unchanged(v2)
    with pytest.raises(TransitionNotAllowed, match="required a reassessment"):
        _certify(cast, v2)
    assert _unchanged(v2) == before
    page = signed_in(cast.qa_lead).get("/qms/scope/2/").content.decode()
    assert 'id="certify"' not in page
    assert "Record the reassessment" in page
    assert 'data-testid="reassessment-flag"' in page


@pytest.mark.verifies("QMS-006")
def test_the_reassessment_is_recorded_and_audited_then_the_scope_is_certified(cast):
    v2, notification = _answered(cast)
    notification = actions.record_reassessment(
        actor=cast.qa_lead, notification=notification, reassessed_on=TODAY(), reassessment=REPORT
    )
    event = last_event()
    assert event.action == "qms.scope_notification.reassessed"
    assert changes_of(event) == {
        "state": ["answered", "reassessed"],
        "step": "reassessed",
        "reassessed_on": [None, TODAY().isoformat()],
        "reassessment": ["", REPORT],
    }
    assert notification.settled
    assert _certify(cast, v2).certified_on == TODAY()


@pytest.mark.parametrize(
    "case", ["not_required", "before_answer", "future", "permission", "empty", "stale"]
)
def test_a_bad_reassessment_changes_nothing(cast, case):
    answer = "no_reassessment" if case == "not_required" else "required"
    _, notification = _answered(cast, answer)
    if case == "stale":  # the caller's copy is out of date: the dates are read under the lock
        notification.answered_on = TODAY() - dt.timedelta(days=5)
    day = {"before_answer": -1, "future": 1, "stale": -1}.get(case, 0)
    actor = cast.manager if case == "permission" else cast.qa_lead
    before = (ScopeNotification.objects.values().get(), event_count())
    expected = {
        "not_required": TransitionNotAllowed,
        "permission": PermissionRefused,
    }.get(case, InvalidInput)
    with pytest.raises(expected):
        actions.record_reassessment(
            actor=actor,
            notification=notification,
            reassessed_on=TODAY() + dt.timedelta(days=day),
            reassessment="" if case == "empty" else REPORT,
        )
    assert (ScopeNotification.objects.values().get(), event_count()) == before


def test_certification_cannot_predate_the_reassessment(cast):
    v2, notification = _answered(cast, days_ago=5)
    ScopeVersion.objects.filter(pk=v2.pk).update(in_force_at=timezone.now() - dt.timedelta(days=10))
    v2.refresh_from_db()
    actions.record_reassessment(
        actor=cast.qa_lead,
        notification=notification,
        reassessed_on=TODAY() - dt.timedelta(days=2),
        reassessment=REPORT,
    )
    before = _unchanged(v2)
    with pytest.raises(InvalidInput, match="before the reassessment"):
        _certify(cast, v2, TODAY() - dt.timedelta(days=3))
    assert _unchanged(v2) == before


def test_certification_cannot_predate_a_no_reassessment_answer(cast):
    v2, _ = _answered(cast, "no_reassessment", days_ago=3)
    ScopeVersion.objects.filter(pk=v2.pk).update(in_force_at=timezone.now() - dt.timedelta(days=10))
    v2.refresh_from_db()
    before = _unchanged(v2)
    with pytest.raises(InvalidInput, match="before the approved body's answer"):
        _certify(cast, v2, TODAY() - dt.timedelta(days=4))
    assert _unchanged(v2) == before


def test_an_answer_dated_before_a_sending_recorded_since_is_refused_under_the_lock(cast):
    certified_v1_and_v2_in_force(cast)
    stale = actions.record_notification_sent(
        actor=cast.qa_lead,
        notification=ScopeNotification.objects.get(),
        sent_on=TODAY(),
        reference="AB-1",
    )
    stale.sent_on = TODAY() - dt.timedelta(days=5)  # the caller's copy is out of date
    before = (ScopeNotification.objects.values().get(), event_count())
    with pytest.raises(InvalidInput, match="before the notification was sent"):
        actions.record_body_answer(
            actor=cast.qa_lead,
            notification=stale,
            answer="no_reassessment",
            answered_on=TODAY() - dt.timedelta(days=1),
        )
    assert (ScopeNotification.objects.values().get(), event_count()) == before
