"""QA can take over a draft whose author is away (issue 10: only the author could ever
edit a draft); with a reason, audited, the new author recorded."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import changes_of, event_count, events_since, named
from tests.documents.test_api_documents import Api


@pytest.mark.verifies("DOC-022")
def test_qa_takes_over_a_draft_with_a_reason_and_then_edits_it(cast, draft):
    before = event_count()
    actions.take_over_draft(actor=cast.qa_lead, revision=draft, reason="Alex is on leave")
    [event] = events_since(before)
    assert event.action == "documents.revision.taken_over"
    assert event.actor_id == cast.qa_lead.pk and event.reason == "Alex is on leave"
    assert changes_of(event) == {"author": ["author", "qa-lead"]}
    assert Revision.objects.get().author == cast.qa_lead
    actions.edit_draft(
        actor=cast.qa_lead,
        revision=draft,
        body="Finished by QA.",
        change_summary="",
        change_reason="New procedure",
    )
    with pytest.raises(TransitionNotAllowed, match="Only the author edits their draft"):
        actions.edit_draft(
            actor=cast.author,
            revision=draft,
            body="Mine again",
            change_summary="",
            change_reason="New procedure",
        )


@pytest.mark.verifies("DOC-022", refusal=True)
@pytest.mark.parametrize(
    ("who", "reason", "error", "message"),
    [
        ("qa_lead", "  ", InvalidInput, "Give the reason."),
        ("author", "Mine", PermissionRefused, "Take over others' drafts"),
        ("reviewer", "Help", PermissionRefused, "Take over others' drafts"),
        ("approver", "Help", PermissionRefused, "Take over others' drafts"),
    ],
)
def test_a_take_over_without_a_reason_or_permission_is_refused(
    cast, draft, who, reason, error, message
):
    before = event_count()
    with pytest.raises(error, match=message):
        actions.take_over_draft(actor=getattr(cast, who), revision=draft, reason=reason)
    assert Revision.objects.get().author == cast.author and event_count() == before


def test_a_revision_in_review_cannot_be_taken_over(cast, draft):
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only a draft can be taken over"):
        actions.take_over_draft(actor=cast.qa_lead, revision=draft, reason="Away")
    assert event_count() == before


def test_qa_takes_over_from_the_document_page(signed_in, cast, draft):
    client = signed_in(cast.qa_lead)
    page = client.get("/documents/SOP-001/").content.decode()
    assert "Take over this draft" in page
    assert (
        "Take over this draft"
        not in signed_in(cast.author).get("/documents/SOP-001/").content.decode()
    )
    client = signed_in(cast.qa_lead)
    done = client.post("/documents/SOP-001/A/take-over/", {"reason": "Alex left"}, follow=True)
    assert "You are now the author of revision A; you can edit it." in done.content.decode()
    assert done.redirect_chain[-1][0] == "/documents/SOP-001/A/edit/"
    assert Revision.objects.get().author == cast.qa_lead


def test_qa_takes_over_over_the_api(client, cast, draft):
    response = Api(client, cast.qa_lead).post(
        "/SOP-001/revisions/A/take-over", {"reason": "Alex left"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["author"] == "qa-lead"
    before = event_count()
    refused = Api(client, cast.reviewer).post("/SOP-001/revisions/A/take-over", {"reason": "x"})
    assert refused.status_code == 404  # the reviewer cannot see someone's draft at all
    assert Revision.objects.get().author == cast.qa_lead and event_count() == before + 1
