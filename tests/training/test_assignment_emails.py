from django.core import mail

from openqms.core import actions as core
from openqms.training import actions

from .conftest import make_person, new_document


def _training_mail():
    return [m for m in mail.outbox if m.subject.startswith("OpenQMS: training")]


def test_a_new_assignment_emails_each_person_once_after_commit(
    cast, engineer, sop_type, django_capture_on_commit_callbacks
):
    silent = make_person("silent", "Sid Silent", email="")
    actions.take_job_role(actor=cast.qa_lead, person=silent, job_role=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        revision = new_document(cast, sop_type, "Cleaning")
    [message] = _training_mail()  # the person without an email address gets none
    assert message.to == ["trainee@example.test"]
    assert message.subject == f"OpenQMS: training assigned on {revision}"
    assert f"({revision} became effective)" in message.body


def test_nothing_is_emailed_when_the_change_does_not_commit(cast, engineer, sop_type):
    new_document(cast, sop_type, "Cleaning")  # the test's transaction never commits
    assert _training_mail() == []


def test_a_deactivated_holder_is_not_emailed(
    cast, engineer, sop_type, django_capture_on_commit_callbacks
):
    core.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left")
    with django_capture_on_commit_callbacks(execute=True):
        new_document(cast, sop_type, "Cleaning")
    assert _training_mail() == []
