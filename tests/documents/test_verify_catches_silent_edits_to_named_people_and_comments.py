"""Review finding 3: `openqms verify` did not reconcile review comments (approval waits
for open ones, so a comment deleted or marked resolved in the database let a revision
through), nor the named rows against the submission and reassignment events (a row
inserted for oneself let that person sign). Both are now checked against the trail."""

import datetime as dt

from django.utils import timezone

from openqms.core import integrity
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment, ReviewComment
from tests.documents.named_review import submit


def _findings(check):
    return [
        (f.record, f.trail_says, f.row_says) for f in integrity.run().findings if f.check == check
    ]


def test_named_rows_follow_the_submission_and_reassignment(cast, draft):
    revision = submit(cast, draft)
    old = ReviewAssignment.objects.get(role="reviewer")
    actions.reassign_reviewer(
        actor=cast.qa_lead, assignment=old, person=cast.qa_lead, reason="Leave"
    )
    assert _findings("documents: named rows") == []
    due = old.due_date.isoformat()
    # Someone with database access names themself as a second approver.
    ReviewAssignment.objects.create(
        revision=revision, person=cast.admin, role="approver", position=2, due_date=old.due_date,
        assigned_by=cast.admin, assigned_at=timezone.now(),
    )  # fmt: skip
    [(record, trail, row)] = _findings("documents: named rows")
    assert record == f"documents.revision {revision.pk} (SOP-001 rev A)"
    assert trail.startswith(
        f"approver approver #1 due {due}; reviewer qa-lead #1 due {due} (event #"
    )
    assert row == (
        f"approver admin #2 due {due}; approver approver #1 due {due}; "
        f"reviewer qa-lead #1 due {due}"
    )


def test_a_due_date_moved_in_the_database_is_found(cast, draft):
    submit(cast, draft)
    later = timezone.localdate() + dt.timedelta(days=90)
    ReviewAssignment.objects.filter(role="approver").update(due_date=later)
    [(_, trail, row)] = _findings("documents: named rows")
    assert f"approver approver #1 due {later.isoformat()}" in row
    assert f"approver approver #1 due {later.isoformat()}" not in trail


def test_a_comment_resolved_or_deleted_in_the_database_is_found(cast, draft):
    revision = submit(cast, draft)
    first = actions.add_review_comment(actor=cast.reviewer, revision=revision, text="Typo in 2.1")
    second = actions.add_review_comment(actor=cast.approver, revision=revision, text="Add scope")
    actions.resolve_review_comment(actor=cast.author, comment=second, reply="Done")
    assert _findings("documents: review comments") == []
    ReviewComment.objects.filter(pk=first.pk).update(resolved_at=timezone.now())
    ReviewComment.objects.filter(pk=second.pk).update(reply="Done, see 1.2")
    found = _findings("documents: review comments")
    record = f"documents.reviewcomment {{}} of documents.revision {revision.pk}"
    assert [(r, t.split(" (event #")[0], w) for r, t, w in found] == [
        (record.format(first.pk), "resolved: False", "resolved: True"),
        (record.format(second.pk), "reply: 'Done'", "reply: 'Done, see 1.2'"),
    ]
    ReviewComment.objects.filter(pk=first.pk).delete()
    assert [(r, w) for r, _, w in _findings("documents: review comments")] == [
        (record.format(second.pk), "reply: 'Done, see 1.2'"),
        (record.format(first.pk), "no comment row"),
    ]
