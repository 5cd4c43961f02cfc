"""Review finding 9: in "sequence" mode the later reviewers and approvers were told
their task "is due" while the system refused their signature (they wait for the person
before them), and approvers were reminded before the reviews approval needs. Now only
people who can sign now are reminded; the next one hears once the one before signs."""

from openqms.core.models import QueuedEmail
from openqms.documents import actions, reminders
from tests.documents.conftest import SIGN
from tests.documents.named_review import set_mode, submit


def _subjects():
    return sorted((q.recipients[0], q.subject) for q in QueuedEmail.objects.all())


def test_sequence_reminds_the_first_reviewer_only(cast, sop_type, draft):
    set_mode(cast, sop_type, "sequence")
    revision = submit(cast, draft, reviewers=[cast.reviewer, cast.qa_lead], days=1)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [
        ("reviewer@example.test", "OpenQMS: your review of SOP-001 rev A is due")
    ]

    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [("qa_lead@example.test", "OpenQMS: your review of SOP-001 rev A is due")]

    actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [
        ("approver@example.test", "OpenQMS: your approval of SOP-001 rev A is due")
    ]


def test_sequence_reminds_the_second_approver_after_the_first_signs(cast, sop_type, draft):
    set_mode(cast, sop_type, "sequence")
    revision = submit(cast, draft, approvers=[cast.approver, cast.qa_lead], days=1)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [
        ("approver@example.test", "OpenQMS: your approval of SOP-001 rev A is due")
    ]
    actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [
        ("qa_lead@example.test", "OpenQMS: your approval of SOP-001 rev A is due")
    ]
