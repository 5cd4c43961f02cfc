import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from openqms.core import actions as core
from openqms.core.mail import send_queued
from openqms.training import actions
from openqms.training.models import Assignment
from openqms.training.reminders import send_due_reminders

from .conftest import make_person, open_assignments

pytestmark = pytest.mark.verifies("TRN-016")

TODAY = timezone.localdate()


def _sent() -> list:
    """Reminders only (assignments and document reviews mail through the same queue)."""
    return [m for m in mail.outbox if " is due " in m.subject or " expire" in m.subject]


def _remind() -> str:
    """What two jobs of `openqms tick` do: queue the reminders, then send the queue."""
    said = send_due_reminders()
    send_queued()
    return said


def _due_in(person, days):
    (assignment,) = open_assignments(person)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=TODAY + dt.timedelta(days=days))
    return assignment


def test_training_due_within_a_week_is_reminded_once(cast, engineer, sop_a):
    assignment = _due_in(cast.trainee, 7)
    assert _remind() == "1 reminder(s) queued"
    [message] = _sent()
    assert message.to == ["trainee@example.test"]
    due = TODAY + dt.timedelta(days=7)
    assert message.subject == f"OpenQMS: training on SOP-001 rev A is due {due:%d %b %Y}"
    assert f"http://127.0.0.1:8000/training/assignments/{assignment.pk}/" in message.body
    assert _remind() == "0 reminder(s) queued"
    assert len(_sent()) == 1


def test_training_due_later_is_not_reminded_yet(cast, engineer, sop_a):
    _due_in(cast.trainee, 8)
    assert _remind() == "0 reminder(s) queued"
    assert _sent() == []


def test_deactivated_people_get_no_reminders(cast, engineer, sop_a):
    _due_in(cast.trainee, 1)
    core.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left")
    assert _remind() == "0 reminder(s) queued"
    assert _sent() == []


def test_an_expiring_record_is_reminded_once_to_the_person_and_their_manager(cast):
    manager = make_person("mara", "Mara Manager")
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=manager
    )
    course = actions.create_competency(
        actor=cast.qa_lead, name="First aid", kind="course", validity_months=12
    )
    record = actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="First aid at work",
        competency=course,
        obtained_on=TODAY - dt.timedelta(days=340),
        expires_on=TODAY + dt.timedelta(days=25),
    )
    far = actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="Fire warden",
        obtained_on=TODAY,
        expires_on=TODAY + dt.timedelta(days=31),
    )
    assert _remind() == "1 reminder(s) queued"
    [message] = _sent()
    assert message.to == ["trainee@example.test", "mara@example.test"]
    assert message.subject == (
        f"OpenQMS: First aid at work of Taylor Trainee expires {record.expires_on:%d %b %Y}"
    )
    assert far.title not in message.body
    assert _remind() == "0 reminder(s) queued"
    assert len(_sent()) == 1


def test_a_withdrawn_record_is_not_reminded(cast):
    record = actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="Fire warden",
        obtained_on=TODAY,
        expires_on=TODAY + dt.timedelta(days=3),
    )
    actions.withdraw_competence_record(actor=cast.qa_lead, record=record, reason="Entered twice")
    assert _remind() == "0 reminder(s) queued"
    assert _sent() == []
