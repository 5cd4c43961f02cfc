import datetime as dt

from django.utils import timezone

from openqms.core.inbox import tasks_for
from openqms.documents import actions
from openqms.documents.models import Document
from openqms.testing import named
from tests.documents.conftest import SIGN


def _titles(user):
    return [t.title for t in tasks_for(user)]


def test_a_draft_waits_in_its_authors_tasks(cast, draft):
    assert _titles(cast.author) == ["Finish SOP-001 rev A: Document control"]
    assert _titles(cast.reviewer) == []


def test_a_submitted_revision_asks_for_review_then_approval(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    assert _titles(cast.author) == []
    assert _titles(cast.reviewer) == ["Review SOP-001 rev A: Document control"]
    # The named approver sees the approval at once, blocked until the review is in.
    [waiting] = tasks_for(cast.approver)
    assert (waiting.title, waiting.blocked) == (
        "Approve SOP-001 rev A: Document control",
        "It needs a reviewer's signature before approval: Riley Reviewer to review.",
    )
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    assert _titles(cast.reviewer) == []
    [ready] = tasks_for(cast.approver)
    assert (ready.title, ready.kind, ready.blocked) == (
        "Approve SOP-001 rev A: Document control",
        "Document approval",
        "",
    )
    assert _titles(cast.qa_lead) == []  # may approve, but is not named


def test_a_periodic_review_coming_due_is_the_owners_task(cast, effective):
    soon = timezone.localdate() + dt.timedelta(days=10)
    Document.objects.filter(pk=effective.document_id).update(next_review=soon)
    [task] = tasks_for(cast.author)
    assert (task.title, task.due) == ("Review SOP-001: Document control", soon)
