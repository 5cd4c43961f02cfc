"""Document control's emails go through the email queue (sent by `openqms tick`, retried
in a mail outage) and carry absolute links built on OPENQMS_BASE_URL."""

import pytest
from django.core import mail

from openqms.core.mail import send_queued
from openqms.core.models import QueuedEmail
from openqms.documents import actions
from openqms.testing import named

LINK = "https://qms.example.com/documents/SOP-001/A/"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = "https://qms.example.com"


def test_submitting_queues_an_email_to_the_reviewers_and_approvers(cast, draft):
    mail.outbox.clear()
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    assert mail.outbox == []  # nothing leaves inside the author's request
    queued = QueuedEmail.objects.order_by("pk")
    # Only the named people (not everyone who may review or approve, like the QA lead).
    assert [(q.recipients, q.subject) for q in queued] == [
        (["approver@example.test"], "OpenQMS: SOP-001 rev A is waiting for your approval"),
        (["reviewer@example.test"], "OpenQMS: SOP-001 rev A is waiting for your review"),
    ]
    assert all(f"Open it in OpenQMS: {LINK}\n" in q.body for q in queued)
    assert send_queued() == "2 email(s) sent, 0 failed"
    assert len(mail.outbox) == 2


def test_returning_a_revision_queues_an_email_to_its_author(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    QueuedEmail.objects.all().delete()
    actions.take_step(
        actor=cast.reviewer, revision=revision, step="reject", reason="Section 3 is missing"
    )
    [queued] = QueuedEmail.objects.all()
    assert (queued.recipients, queued.subject) == (
        ["author@example.test"],
        "OpenQMS: SOP-001 rev A was returned to you",
    )
    assert LINK in queued.body
