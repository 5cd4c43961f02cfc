"""Administrators see in My tasks that emails keep failing, with a link to the audit
trail's core.email.failing events; nobody else does."""

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail

TITLE = "2 email(s) cannot be delivered: check the mail server"


def test_administrators_see_failing_emails_in_my_tasks(signed_in, cast):
    queue.queue([(f"Email {n}", "Body.", ["someone@example.test"]) for n in range(3)])
    QueuedEmail.objects.filter(subject__in=["Email 0", "Email 1"]).update(failures=5)
    QueuedEmail.objects.filter(subject="Email 2").update(failures=4)
    page = signed_in(cast.admin).get("/").content.decode()
    assert TITLE in page
    assert "/audit/?action=core.email.failing" in page
    assert TITLE not in signed_in(cast.qa_lead).get("/").content.decode()


def test_no_entry_once_the_failing_emails_have_gone_out(signed_in, cast):
    queue.queue([("Email", "Body.", ["someone@example.test"])])
    QueuedEmail.objects.update(failures=7)
    QueuedEmail.objects.update(sent_at=QueuedEmail.objects.get().queued_at)
    assert "cannot be delivered" not in signed_in(cast.admin).get("/").content.decode()
