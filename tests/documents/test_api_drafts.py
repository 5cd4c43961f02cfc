"""Writing over the API: create a document, start a revision, edit a draft, withdraw."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.signatures import content_hash
from openqms.documents import actions
from openqms.documents.models import Document, Revision
from openqms.testing import changes_of, event_count, events_since
from tests.documents.test_api_documents import Api, shown

NEW = {
    "type": "procedure",
    "title": "Control of records",
    "clauses": ["4.2.5", "4.2.4"],
    "body": "1. Purpose",
    "change_reason": "New procedure",
}
EDIT = {
    "body": "1. Purpose\n\nKeep records.",
    "change_summary": "Purpose written",
    "change_reason": "New procedure",
    "effective_date": None,
}


def _nothing_written(documents, revisions, before):
    assert Document.objects.count() == documents
    assert Revision.objects.count() == revisions
    assert event_count() == before


def test_an_author_creates_a_document_with_a_draft_a(client, cast):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("", NEW)
    assert response.status_code == 201, response.content
    revision = Revision.objects.get(document__number="SOP-001")
    assert response.json() == {
        "number": "SOP-001",
        "title": "Control of records",
        "label": "A",
        "state": "draft",
        "author": "author",
        "author_name": "Alex Author",
        "created_at": shown(revision.created_at),
        "effective_date": None,
        "became_effective_at": None,
        "ended_at": None,
        "body": "1. Purpose",
        "change_summary": "",
        "change_reason": "New procedure",
        "attachments": [],
        "content_hash": content_hash(revision.signature_content()),
        "draft_version": actions.draft_version(revision),
        "signatures": [],
        "retraining_needed": True,
        "retraining_justification": "",
        "allowed_steps": ["submit"],
        "approval_mode": "all",
        "named": [],
        "comments": [],
    }
    assert revision.document.clauses == ["4.2.4", "4.2.5"]
    assert [e.action for e in events_since(before)] == [
        "documents.document.created",
        "documents.revision.drafted",
    ]


def test_an_unknown_type_is_422_and_nothing_is_written(client, cast):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("", {**NEW, "type": "novel"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "There is no document type “novel”.",
        "fields": {"type": "Unknown document type."},
    }
    _nothing_written(0, 0, before)


def test_a_missing_title_is_422_with_the_field_named(client, cast):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("", {k: v for k, v in NEW.items() if k != "title"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"title": "Field required"}
    _nothing_written(0, 0, before)


def test_a_blank_title_is_422_with_the_field_named(client, cast):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("", {**NEW, "title": "   "})
    assert response.status_code == 422
    assert response.json()["fields"] == {"title": "Required."}
    _nothing_written(0, 0, before)


def test_a_trainee_cannot_create_documents(client, cast):
    api = Api(client, cast.trainee)
    before = event_count()
    response = api.post("", NEW)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_refused"
    _nothing_written(0, 0, before)


def test_the_author_edits_their_draft(client, cast, draft):
    api = Api(client, cast.author)
    before = event_count()
    later = timezone.localdate() + dt.timedelta(days=30)
    response = api.put("/SOP-001/revisions/A", {**EDIT, "effective_date": later.isoformat()})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert response.json()["body"] == "1. Purpose\n\nKeep records."
    assert response.json()["effective_date"] == later.isoformat()
    assert response.json()["content_hash"] == content_hash(draft.signature_content())
    [event] = events_since(before)
    assert event.action == "documents.revision.edited"
    assert changes_of(event) == {
        "body": ["1. Purpose\n\nControl documents.", "1. Purpose\n\nKeep records."],
        "change_summary": ["First issue", "Purpose written"],
        "effective_date": [None, later.isoformat()],
    }


@pytest.mark.parametrize(
    "effective_date, message",
    [
        ("2000-01-01", "In the past."),
        (
            "2030-02-30",
            "Input should be a valid date or datetime, day value is outside expected range",
        ),
        ("soon", "Input should be a valid date or datetime, input is too short"),
    ],
)
def test_a_bad_effective_date_is_422_and_the_draft_is_unchanged(
    client, cast, draft, effective_date, message
):
    api = Api(client, cast.author)
    before, body = event_count(), draft.body
    response = api.put("/SOP-001/revisions/A", {**EDIT, "effective_date": effective_date})
    assert response.status_code == 422
    assert response.json()["fields"] == {"effective_date": message}
    draft.refresh_from_db()
    assert (draft.body, draft.effective_date) == (body, None)
    assert event_count() == before


def test_only_the_author_edits_a_draft(client, cast, draft):
    api = Api(client, cast.qa_lead)
    before = event_count()
    response = api.put("/SOP-001/revisions/A", EDIT)
    assert response.status_code == 409
    assert response.json()["message"] == "Only the author edits their draft."
    draft.refresh_from_db()
    assert draft.body == "1. Purpose\n\nControl documents."
    assert event_count() == before


def test_a_new_revision_starts_from_the_effective_one_which_stays_in_force(client, cast, effective):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("/SOP-001/revisions", {"change_reason": "Add records"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["label"], body["state"], body["body"]) == ("B", "draft", effective.body)
    assert body["change_reason"] == "Add records"
    effective.refresh_from_db()
    assert effective.state == "effective"
    assert [e.action for e in events_since(before)] == ["documents.revision.drafted"]


def test_a_second_revision_in_progress_is_refused(client, cast, draft):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("/SOP-001/revisions", {"change_reason": "Again"})
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Revision.objects.count() == 1 and event_count() == before


def test_qa_withdraws_a_document_and_its_revisions_become_obsolete(client, cast, effective):
    api = Api(client, cast.qa_lead)
    before = event_count()
    response = api.post("/SOP-001/withdraw", {"reason": "Merged into SOP-002"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["withdrawn"], body["withdraw_reason"]) == (True, "Merged into SOP-002")
    assert [(r["label"], r["state"]) for r in body["revisions"]] == [("A", "obsolete")]
    assert [e.action for e in events_since(before)] == [
        "documents.revision.obsoleted",
        "documents.document.withdrawn",
    ]


def test_an_author_cannot_withdraw_a_document(client, cast, effective):
    api = Api(client, cast.author)
    before = event_count()
    response = api.post("/SOP-001/withdraw", {"reason": "Mine"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_refused"
    effective.refresh_from_db()
    assert effective.state == "effective" and effective.document.withdrawn_at is None
    assert event_count() == before


def test_withdrawing_needs_a_reason(client, cast, effective):
    api = Api(client, cast.qa_lead)
    before = event_count()
    response = api.post("/SOP-001/withdraw", {"reason": ""})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["reason"]
    assert event_count() == before
