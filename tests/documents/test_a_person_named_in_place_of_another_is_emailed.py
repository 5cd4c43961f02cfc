"""Review finding 9: submitting emails each named person, but QA's reassignment told
the newly named person nothing. They now get an email naming the role, the person they
replace and the due date, queued with the reassignment."""

from openqms.core.models import QueuedEmail
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment
from tests.documents.named_review import submit


def test_the_new_reviewer_hears_of_it(cast, draft):
    submit(cast, draft)
    QueuedEmail.objects.all().delete()
    old = ReviewAssignment.objects.get(role="reviewer")
    new = actions.reassign_reviewer(
        actor=cast.qa_lead, assignment=old, person=cast.qa_lead, reason="Riley is on leave"
    )
    [email] = QueuedEmail.objects.all()
    assert email.recipients == ["qa_lead@example.test"]
    assert email.subject == "OpenQMS: SOP-001 rev A is waiting for your review"
    assert email.body.startswith(
        "Quinn Avery named you as reviewer of SOP-001 rev A (Document control) in place of "
        f"Riley Reviewer, due by {new.due_date:%d %b %Y}.\nOpen it in OpenQMS: "
    )
