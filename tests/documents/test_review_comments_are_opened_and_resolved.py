"""Review comments are records of their own: a named person comments, the comment is
open and holds approval back, the author resolves it with a reply; each step audited,
nothing deleted."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.documents import actions
from openqms.documents.models import ReviewComment
from openqms.testing import changes_of, event_count, last_event
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


@pytest.fixture
def reviewed(cast, draft):
    revision = submit(cast, draft)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return revision


@pytest.mark.verifies("DOC-010")
def test_a_comment_is_open_blocks_approval_and_is_resolved_by_the_author(cast, reviewed):
    comment = actions.add_review_comment(
        actor=cast.reviewer, revision=reviewed, text="Define 'controlled'.", quote="Control"
    )
    event = last_event()
    assert (event.action, event.actor_id) == ("documents.comment.added", cast.reviewer.pk)
    assert changes_of(event) == {
        "comment": comment.pk,
        "text": "Define 'controlled'.",
        "quote": "Control",
    }
    assert comment.resolved_at is None

    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.approver, revision=reviewed, step="approve", credentials=SIGN)
    assert refused.value.message == (
        "1 review comment(s) still open: the author resolves every comment before the "
        "revision is approved."
    )
    assert event_count() == before

    resolved = actions.resolve_review_comment(
        actor=cast.author, comment=comment, reply="Defined in section 1."
    )
    assert (resolved.resolved_by, resolved.reply) == (cast.author, "Defined in section 1.")
    event = last_event()
    assert event.action == "documents.comment.resolved"
    assert changes_of(event) == {
        "comment": comment.pk,
        "resolved": [False, True],
        "reply": "Defined in section 1.",
    }
    approved = actions.take_step(
        actor=cast.approver, revision=reviewed, step="approve", credentials=SIGN
    )
    assert approved.state == "effective"
    assert ReviewComment.objects.count() == 1  # kept with the revision


def test_only_named_people_comment(cast, reviewed):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only the people named to review or approve"):
        actions.add_review_comment(actor=cast.qa_lead, revision=reviewed, text="Looks fine")
    assert event_count() == before and not ReviewComment.objects.exists()


@pytest.mark.verifies("DOC-010", refusal=True)
def test_only_the_author_resolves_a_comment(cast, reviewed):
    comment = actions.add_review_comment(actor=cast.reviewer, revision=reviewed, text="Typo")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only the revision's author resolves"):
        actions.resolve_review_comment(actor=cast.reviewer, comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_at is None and event_count() == before


def test_comments_show_on_the_revision_page(signed_in, cast, reviewed):
    actions.add_review_comment(actor=cast.reviewer, revision=reviewed, text="Add a scope.")
    client = signed_in(cast.author)
    page = client.get("/documents/SOP-001/A/").content.decode()
    assert "Add a scope." in page and "Resolve comment" in page
    comment = ReviewComment.objects.get()
    response = client.post(
        f"/documents/SOP-001/A/comments/{comment.pk}/resolve/", {"reply": "Added."}, follow=True
    )
    assert "Comment resolved." in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "Added."
