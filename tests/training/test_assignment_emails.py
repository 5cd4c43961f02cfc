from unittest import mock

from django.core import mail

from openqms.core import actions as core
from openqms.core.mail import send_queued
from openqms.core.models import QueuedEmail
from openqms.training import actions

from .conftest import make_person, new_document


def _only_training_queued():
    """Leave the training emails (approving the document queued its reviewers' too)."""
    QueuedEmail.objects.exclude(subject__startswith="OpenQMS: training").delete()


def _training_mail():
    return [m for m in mail.outbox if m.subject.startswith("OpenQMS: training")]


def test_a_new_assignment_queues_one_email_per_person_and_tick_sends_it_once(
    cast, engineer, sop_type
):
    silent = make_person("silent", "Sid Silent", email="")
    actions.take_job_role(actor=cast.qa_lead, person=silent, job_role=engineer)
    revision = new_document(cast, sop_type, "Cleaning")
    assert _training_mail() == []  # nothing leaves inside the approver's request
    _only_training_queued()
    assert send_queued() == "1 email(s) sent, 0 failed"
    [message] = _training_mail()  # the person without an email address gets none
    assert message.to == ["trainee@example.test"]
    assert message.subject == f"OpenQMS: training assigned on {revision}"
    assert f"({revision} became effective)" in message.body
    assert "Open “My training” in OpenQMS: http://127.0.0.1:8000/training/my/" in message.body
    assert send_queued() == "0 email(s) sent, 0 failed"
    assert len(_training_mail()) == 1


def test_a_failed_send_is_recorded_and_retried_at_the_next_tick(cast, engineer, sop_type, settings):
    new_document(cast, sop_type, "Cleaning")
    _only_training_queued()
    settings.EMAIL_BACKEND = "tests.training.test_assignment_emails.BrokenBackend"
    assert send_queued() == "0 email(s) sent, 1 failed"
    queued = QueuedEmail.objects.get(subject__startswith="OpenQMS: training")
    assert (queued.failures, queued.last_error, queued.sent_at) == (1, "mail server down", None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_queued() == "0 email(s) sent, 0 failed"  # not before its back-off
    with mock.patch("openqms.core.mail.timezone.now", return_value=queued.next_attempt_at):
        assert send_queued() == "1 email(s) sent, 0 failed"


def test_a_deactivated_holder_is_not_emailed(cast, engineer, sop_type):
    active = make_person("active", "Ari Active")
    actions.take_job_role(actor=cast.qa_lead, person=active, job_role=engineer)
    core.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left")
    revision = new_document(cast, sop_type, "Cleaning")
    _only_training_queued()
    assert send_queued() == "1 email(s) sent, 0 failed"
    [message] = _training_mail()
    assert (message.to, message.subject) == (
        ["active@example.test"],
        f"OpenQMS: training assigned on {revision}",
    )
    queued = QueuedEmail.objects.filter(subject__startswith="OpenQMS: training")
    assert [q.recipients for q in queued] == [["active@example.test"]]


class BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def send_messages(self, messages):
        raise ConnectionError("mail server down")
