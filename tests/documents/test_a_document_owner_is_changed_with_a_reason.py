"""A document's owner can be changed, by its owner or by QA, with a reason (issue 10)."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.documents import actions
from openqms.documents.models import Document
from openqms.testing import changes_of, event_count, events_since
from tests.documents.test_api_documents import Api


@pytest.mark.parametrize("who", ["author", "qa_lead"])
def test_the_owner_or_qa_changes_the_owner_with_a_reason(cast, effective, who):
    before = event_count()
    actions.change_owner(
        actor=getattr(cast, who),
        document=effective.document,
        owner=cast.approver,
        reason="Morgan runs document control now",
    )
    [event] = events_since(before)
    assert event.action == "documents.document.owner_changed"
    assert event.object_type == "documents.document"
    assert event.reason == "Morgan runs document control now"
    assert changes_of(event) == {"owner": ["author", "approver"]}
    assert Document.objects.get().owner == cast.approver


@pytest.mark.parametrize(
    ("who", "new_owner", "reason", "error", "message"),
    [
        ("author", "approver", "", InvalidInput, "Give the reason."),
        ("reviewer", "reviewer", "Mine now", PermissionRefused, "Only the document's owner"),
        ("approver", "approver", "Mine now", PermissionRefused, "Only the document's owner"),
        ("qa_lead", "outsider", "Hand over", InvalidInput, "cannot own documents"),
        ("qa_lead", "author", "Hand over", InvalidInput, "already owns SOP-001"),
    ],
)
def test_an_owner_change_without_reason_or_permission_is_refused(
    cast, effective, who, new_owner, reason, error, message
):
    before = event_count()
    with pytest.raises(error, match=message):
        actions.change_owner(
            actor=getattr(cast, who),
            document=effective.document,
            owner=getattr(cast, new_owner),
            reason=reason,
        )
    assert Document.objects.get().owner == cast.author and event_count() == before


def test_the_document_page_offers_the_owner_change_to_owner_and_qa_only(signed_in, cast, effective):
    assert "Change owner" in signed_in(cast.author).get("/documents/SOP-001/").content.decode()
    assert "Change owner" in signed_in(cast.qa_lead).get("/documents/SOP-001/").content.decode()
    page = signed_in(cast.reviewer).get("/documents/SOP-001/").content.decode()
    assert "Change owner" not in page
    client = signed_in(cast.author)
    done = client.post(
        "/documents/SOP-001/owner/", {"owner": "approver", "reason": "Hand over"}, follow=True
    )
    assert "Owner changed." in done.content.decode()
    assert "owner Morgan Approver" in done.content.decode()
    refused = client.post("/documents/SOP-001/owner/", {"owner": "author", "reason": "Back"})
    assert Document.objects.get().owner == cast.approver  # no longer the owner: refused
    assert refused.status_code == 302


def test_the_owner_is_changed_over_the_api(client, cast, effective):
    api = Api(client, cast.qa_lead)
    before = event_count()
    missing = api.post("/SOP-001/owner", {"owner": "approver"})
    assert missing.status_code == 422 and event_count() == before
    response = api.post("/SOP-001/owner", {"owner": "approver", "reason": "Hand over"})
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == "approver"
    unknown = api.post("/SOP-001/owner", {"owner": "nobody", "reason": "Hand over"})
    assert unknown.status_code == 422 and unknown.json()["fields"] == {"owner": "Unknown."}
    refused = Api(client, cast.reviewer).post(
        "/SOP-001/owner", {"owner": "reviewer", "reason": "x"}
    )
    assert refused.status_code == 403 and Document.objects.get().owner == cast.approver
