"""An open review comment holds approval back until the author resolves it, so the
author finds it in My tasks (issue 10 walk: "Nothing is waiting for you")."""

from openqms.core.inbox import tasks_for
from openqms.documents import actions
from tests.documents.named_review import submit


def _comment_tasks(user):
    return [(t.kind, t.title, t.url) for t in tasks_for(user) if t.kind == "Review comments"]


def test_open_comments_give_the_author_one_task_until_each_is_resolved(cast, draft):
    revision = submit(cast, draft)
    assert _comment_tasks(cast.author) == []
    first = actions.add_review_comment(actor=cast.reviewer, revision=revision, text="Define it.")
    actions.add_review_comment(actor=cast.reviewer, revision=revision, text="And this.")
    assert _comment_tasks(cast.author) == [
        (
            "Review comments",
            "Resolve 2 open comments on SOP-001 rev A: Document control",
            "/documents/SOP-001/A/#comments",
        )
    ]
    assert _comment_tasks(cast.reviewer) == []
    actions.resolve_review_comment(actor=cast.author, comment=first, reply="Done.")
    assert [t[1] for t in _comment_tasks(cast.author)] == [
        "Resolve 1 open comment on SOP-001 rev A: Document control"
    ]
    [second] = draft.review_comments.filter(resolved_at=None)
    actions.resolve_review_comment(actor=cast.author, comment=second)
    assert _comment_tasks(cast.author) == []
