import datetime as dt

from django.utils import timezone

from openqms.core.inbox import tasks_for
from openqms.documents import actions
from openqms.documents.models import Document
from tests.documents.conftest import SIGN


def _titles(user):
    return [t.title for t in tasks_for(user)]


def test_a_draft_waits_in_its_authors_tasks(cast, draft):
    assert _titles(cast.author) == ["Finish SOP-001 rev A: Document control"]
    assert _titles(cast.reviewer) == []


def test_a_submitted_revision_asks_for_review_then_approval(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit")
    assert _titles(cast.author) == []
    assert _titles(cast.reviewer) == ["Review SOP-001 rev A: Document control"]
    assert _titles(cast.approver) == ["Review SOP-001 rev A: Document control"]
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    assert _titles(cast.reviewer) == []
    assert _titles(cast.approver) == ["Approve SOP-001 rev A: Document control"]
    assert [t.kind for t in tasks_for(cast.approver)] == ["Document approval"]


def test_a_periodic_review_coming_due_is_the_owners_task(cast, effective):
    soon = timezone.localdate() + dt.timedelta(days=10)
    Document.objects.filter(pk=effective.document_id).update(next_review=soon)
    [task] = tasks_for(cast.author)
    assert (task.title, task.due) == ("Review SOP-001: Document control", soon)
