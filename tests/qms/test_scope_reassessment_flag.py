"""A change to the certified scope flags "approved body must be notified — reassessment
may be required"; the new version cannot be marked certified until the answer is
recorded (UK MDR 2002: the scope is fixed at assessment)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions import scope as actions
from openqms.qms.models import Certificate, NotificationState, ScopeNotification, ScopeVersion
from openqms.testing import changes_of, event_count, events_since, last_event

from .scope_world import certified_v1_and_v2_in_force, drafted, in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_putting_a_change_in_force_after_certification_opens_a_notification(cast):
    v1, v2 = certified_v1_and_v2_in_force(cast)
    notification = ScopeNotification.objects.get()
    assert (notification.scope, notification.certified_scope) == (v2, v1)
    assert notification.state == NotificationState.TO_NOTIFY
    assert notification.summary == (
        "Changes from QMS scope version 1 to version 2:\n"
        "Device families: added HR-ACC Family HR-ACC"
    )
    opened = next(e for e in events_since(0) if e.action == "qms.scope_notification.opened")
    assert changes_of(opened) == {
        "scope": [None, 2],
        "certified_scope": [None, 1],
        "summary": [None, notification.summary],
        "state": [None, "to_notify"],
    }


def test_no_notification_while_nothing_was_certified(cast):
    in_force(cast, drafted(cast))
    in_force(cast, actions.start_scope_version(actor=cast.qa_lead))
    assert not ScopeNotification.objects.exists()


def test_the_new_version_cannot_be_marked_certified_before_the_answer(cast):
    _, v2 = certified_v1_and_v2_in_force(cast)
    certificate = Certificate.objects.get()
    notification = ScopeNotification.objects.get()
    actions.record_notification_sent(
        actor=cast.qa_lead, notification=notification, sent_on=TODAY(), reference="AB-1"
    )
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.mark_scope_certified(
            actor=cast.qa_lead, scope=v2, certificate=certificate, certified_on=TODAY()
        )
    assert refused.value.message == actions.NOT_ANSWERED
    assert ScopeVersion.objects.get(number=2).certified_on is None
    assert event_count() == before


def test_the_notification_is_sent_answered_and_then_the_version_certified(cast):
    _, v2 = certified_v1_and_v2_in_force(cast)
    notification = ScopeNotification.objects.get()
    generated = notification.summary
    notification = actions.edit_notification_summary(
        actor=cast.qa_lead, notification=notification, summary="Adds HR-ACC patches."
    )
    event = last_event()
    assert event.action == "qms.scope_notification.edited"
    assert changes_of(event) == {"summary": [generated, "Adds HR-ACC patches."]}
    sent_on = TODAY() - dt.timedelta(days=2)
    notification = actions.record_notification_sent(
        actor=cast.qa_lead, notification=notification, sent_on=sent_on, reference="AB-2026-114"
    )
    event = last_event()
    assert event.action == "qms.scope_notification.sent"
    assert changes_of(event) == {
        "state": ["to_notify", "sent"],
        "step": "sent",
        "sent_on": [None, sent_on.isoformat()],
        "reference": ["", "AB-2026-114"],
    }
    notification = actions.record_body_answer(
        actor=cast.qa_lead,
        notification=notification,
        answer="no_reassessment",
        answered_on=TODAY(),
        answer_text="Covered at the next surveillance audit.",
    )
    event = last_event()
    assert event.action == "qms.scope_notification.answered"
    assert changes_of(event) == {
        "state": ["sent", "answered"],
        "step": "answered",
        "answer": ["", "no_reassessment"],
        "answered_on": [None, TODAY().isoformat()],
        "answer_text": ["", "Covered at the next surveillance audit."],
    }
    v2 = actions.mark_scope_certified(
        actor=cast.qa_lead, scope=v2, certificate=Certificate.objects.get(), certified_on=TODAY()
    )
    assert v2.certified
    assert last_event().action == "qms.scope.certified"


def test_a_sent_notification_keeps_what_it_said(cast):
    certified_v1_and_v2_in_force(cast)
    notification = ScopeNotification.objects.get()
    actions.record_notification_sent(
        actor=cast.qa_lead, notification=notification, sent_on=TODAY(), reference="AB-1"
    )
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="stays as sent"):
        actions.edit_notification_summary(
            actor=cast.qa_lead, notification=notification, summary="Rewritten"
        )
    assert event_count() == before


@pytest.mark.parametrize(
    ("answer", "days", "field"),
    [
        ("maybe", 0, "answer"),
        ("done", 0, "answer"),  # no longer a first answer: a reassessment is a later step
        ("required", -5, "answered_on"),
        ("required", 3, "answered_on"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field(cast, answer, days, field):
    certified_v1_and_v2_in_force(cast)
    notification = actions.record_notification_sent(
        actor=cast.qa_lead,
        notification=ScopeNotification.objects.get(),
        sent_on=TODAY() - dt.timedelta(days=1),
        reference="AB-1",
    )
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.record_body_answer(
            actor=cast.qa_lead,
            notification=notification,
            answer=answer,
            answered_on=TODAY() + dt.timedelta(days=days),
        )
    assert field in refused.value.fields
    assert ScopeNotification.objects.get().state == NotificationState.SENT
    assert event_count() == before


def test_only_certification_managers_record_the_notification(cast):
    certified_v1_and_v2_in_force(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.record_notification_sent(
            actor=cast.manager,
            notification=ScopeNotification.objects.get(),
            sent_on=TODAY(),
            reference="AB-1",
        )
    assert ScopeNotification.objects.get().state == NotificationState.TO_NOTIFY
    assert event_count() == before
