"""Submit, review, approve and return over the API, signed with the password in the body."""

from openqms.core.models import Signature
from openqms.testing import PASSWORD, event_count, events_since
from tests.documents.test_api_documents import Api

NAMED = {"reviewers": ["reviewer"], "approvers": ["approver"], "due_date": "2099-01-01"}

EDIT = {
    "body": "1. Purpose\n\nControl documents.\n\n2. Scope\n\nAll of them.",
    "change_summary": "Scope added",
    "change_reason": "New procedure",
    "effective_date": None,
}


def _actions_since(before):
    return [e.action for e in events_since(before)]


def _in_review(client, cast, draft):
    Api(client, cast.author).post("/SOP-001/revisions/A/submit", NAMED)
    draft.refresh_from_db()
    assert draft.state == "in_review"
    return draft


def _unchanged(revision, state, before):
    revision.refresh_from_db()
    assert revision.state == state
    assert event_count() == before


def test_the_whole_lifecycle_over_the_api(client, cast):
    author, reviewer = Api(client, cast.author), Api(client, cast.reviewer)
    approver = Api(client, cast.approver)
    before = event_count()
    created = author.post("", {"type": "procedure", "title": "Document control"})
    assert (created.status_code, created.json()["label"]) == (201, "A")
    assert _actions_since(before) == ["documents.document.created", "documents.revision.drafted"]

    before = event_count()
    assert author.put("/SOP-001/revisions/A", EDIT).status_code == 200
    assert _actions_since(before) == ["documents.revision.edited"]

    before = event_count()
    submitted = author.post("/SOP-001/revisions/A/submit", NAMED)
    assert (submitted.status_code, submitted.json()["state"]) == (200, "in_review")
    assert _actions_since(before) == ["documents.revision.submitted"]

    seen = reviewer.get("/SOP-001/revisions/A").json()["content_hash"]
    before = event_count()
    reviewed = reviewer.post(
        "/SOP-001/revisions/A/review", {"password": PASSWORD, "content_hash": seen}
    )
    assert (reviewed.status_code, reviewed.json()["state"]) == (200, "in_review")
    assert _actions_since(before) == ["core.signature.signed", "documents.revision.reviewed"]

    before = event_count()
    approved = approver.post(
        "/SOP-001/revisions/A/approve",
        {"password": PASSWORD, "content_hash": seen, "reason": "Fit for use"},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "effective"
    assert [
        (s["printed_name"], s["meaning"], s["valid"]) for s in approved.json()["signatures"]
    ] == [
        ("Riley Reviewer", "reviewed", True),
        ("Morgan Approver", "approved", True),
    ]
    assert _actions_since(before) == [
        "core.signature.signed",
        "documents.revision.approved",
        "documents.revision.effective",
    ]

    before = event_count()
    started = author.post("/SOP-001/revisions", {"change_reason": "Periodic update"})
    assert (started.status_code, started.json()["label"]) == (201, "B")
    assert _actions_since(before) == ["documents.revision.drafted"]
    revisions = author.get("/SOP-001").json()["revisions"]
    assert [(r["label"], r["state"]) for r in revisions] == [("B", "draft"), ("A", "effective")]


def test_an_author_cannot_approve_their_own_revision(client, cast):
    qa_lead = Api(client, cast.qa_lead)
    qa_lead.post("", {"type": "procedure", "title": "Quality policy", "body": "Text"})
    qa_lead.post("/SOP-001/revisions/A/submit", NAMED)
    Api(client, cast.reviewer).sign("/SOP-001/revisions/A/review", {"password": PASSWORD})
    before = event_count()
    response = qa_lead.sign("/SOP-001/revisions/A/approve", {"password": PASSWORD})
    assert response.status_code == 409
    assert response.json() == {
        "code": "transition_not_allowed",
        "message": "The author cannot approve their own revision.",
        "fields": {},
    }
    assert not Signature.objects.filter(meaning="approved").exists()
    assert event_count() == before


def test_approving_without_a_password_is_403_and_writes_nothing(client, cast, draft):
    revision = _in_review(client, cast, draft)
    Api(client, cast.reviewer).sign("/SOP-001/revisions/A/review", {"password": PASSWORD})
    approver = Api(client, cast.approver)
    before = event_count()
    response = approver.post("/SOP-001/revisions/A/approve", {"reason": "Fine"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "reauthentication_failed",
        "message": "Signing needs your password.",
        "fields": {},
    }
    assert not Signature.objects.filter(meaning="approved").exists()
    _unchanged(revision, "in_review", before)


def test_a_wrong_password_is_403_and_the_failed_signing_is_audited(client, cast, draft):
    revision = _in_review(client, cast, draft)
    reviewer = Api(client, cast.reviewer)
    before = event_count()
    response = reviewer.sign("/SOP-001/revisions/A/review", {"password": "guess"})
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_failed"
    assert not Signature.objects.exists()
    assert _actions_since(before) == ["core.auth.signing_failed"]
    revision.refresh_from_db()
    assert revision.state == "in_review"


def test_a_stale_content_hash_signs_nothing(client, cast, draft):
    revision = _in_review(client, cast, draft)
    reviewer = Api(client, cast.reviewer)
    before = event_count()
    response = reviewer.post(
        "/SOP-001/revisions/A/review", {"password": PASSWORD, "content_hash": "0" * 64}
    )
    assert response.status_code == 409
    assert response.json()["message"] == (
        "The record changed after you opened it; nothing was signed. Review it again."
    )
    assert not Signature.objects.exists()
    _unchanged(revision, "in_review", before)


def test_a_revision_in_review_cannot_be_edited(client, cast, draft):
    revision = _in_review(client, cast, draft)
    author = Api(client, cast.author)
    before = event_count()
    response = author.put("/SOP-001/revisions/A", EDIT)
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Only a draft can be edited; return the revision to draft first."
    )
    _unchanged(revision, "in_review", before)
    assert revision.body == "1. Purpose\n\nControl documents."


def test_an_unknown_step_is_409_with_its_name(client, cast, draft):
    author = Api(client, cast.author)
    before = event_count()
    response = author.post("/SOP-001/revisions/A/publish")
    assert response.status_code == 409
    assert response.json()["message"] == "There is no step called “publish”."
    _unchanged(draft, "draft", before)


def test_returning_a_revision_needs_a_reason(client, cast, draft):
    revision = _in_review(client, cast, draft)
    reviewer = Api(client, cast.reviewer)
    before = event_count()
    response = reviewer.post("/SOP-001/revisions/A/reject")
    assert response.status_code == 422
    assert response.json()["fields"] == {"reason": "Required."}
    _unchanged(revision, "in_review", before)


def test_a_returned_revision_shows_its_review_signature_as_void(client, cast, draft):
    _in_review(client, cast, draft)
    reviewer = Api(client, cast.reviewer)
    reviewer.sign("/SOP-001/revisions/A/review", {"password": PASSWORD})
    before = event_count()
    response = reviewer.post("/SOP-001/revisions/A/reject", {"reason": "Scope missing"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "draft"
    assert [(s["meaning"], s["valid"], s["problem"]) for s in response.json()["signatures"]] == [
        ("reviewed", False, "voided: Returned to draft")
    ]
    assert _actions_since(before) == ["documents.revision.rejected", "core.signature.voided"]
