from django.core import mail

from openqms.documents import actions


def test_submitting_emails_the_reviewers_and_approvers(
    cast, draft, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.take_step(actor=cast.author, revision=draft, step="submit")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["approver@example.test", "qa_lead@example.test", "reviewer@example.test"]
    assert mail.outbox[0].subject == "OpenQMS: SOP-001 rev A is waiting for review"


def test_returning_a_revision_emails_its_author(cast, draft, django_capture_on_commit_callbacks):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.take_step(
            actor=cast.reviewer, revision=revision, step="reject", reason="Section 3 is missing"
        )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["author@example.test"], "OpenQMS: SOP-001 rev A was returned to you")
    ]
