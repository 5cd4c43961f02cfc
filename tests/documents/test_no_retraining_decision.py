"""The approver of a later revision may decide it is a minor change needing no retraining,
with a justification kept with the approval, on the page and over the API alike."""

import re

import pytest

from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import PASSWORD, changes_of, event_count, events_since, named
from openqms.training import actions as training
from openqms.training.models import Assignment
from tests.documents.conftest import SIGN
from tests.documents.test_api_documents import Api

OFFER = "No retraining needed (minor change)"
APPROVED_BY_SIGNATURE = [
    "core.signature.signed",
    "documents.revision.approved",
    "documents.revision.superseded",
    "documents.revision.effective",
]


@pytest.fixture
def trained(cast, effective):
    """The trainee holds a job role requiring every SOP and is trained on SOP-001 rev A."""
    role = training.create_job_role(actor=cast.qa_lead, name="Software engineer")
    training.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=effective.document.doc_type
    )
    training.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    (assignment,) = cast.trainee.assignments.all()
    training.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    return cast.trainee


@pytest.fixture
def revision_b(cast, effective, trained):
    """SOP-001 rev B, reviewed, waiting for approval."""
    draft = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Typo"
    )
    draft = actions.edit_draft(
        actor=cast.author,
        revision=draft,
        body="1. Purpose\n\nControl the documents.",
        change_summary="Typo in section 1",
        change_reason="Typo",
    )
    draft = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=draft, step="review", credentials=SIGN)
    return draft


def _hash(page) -> str:
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page.content.decode())[1]


def _decision(revision):
    revision.refresh_from_db()
    return revision.state, revision.retraining_needed, revision.retraining_justification


def test_the_approver_is_offered_the_decision_on_a_later_revision(signed_in, cast, revision_b):
    page = signed_in(cast.approver).get("/documents/SOP-001/B/").content.decode()
    assert OFFER in page and 'name="justification"' in page


def test_a_first_revision_offers_no_such_decision(signed_in, cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    page = signed_in(cast.approver).get("/documents/SOP-001/A/").content.decode()
    assert "Sign: Approved" in page and OFFER not in page


def test_no_retraining_decided_on_the_page_is_kept_and_assigns_nobody(signed_in, cast, revision_b):
    client = signed_in(cast.approver)
    shown = _hash(client.get("/documents/SOP-001/B/"))
    before = event_count()
    page = client.post(
        "/documents/SOP-001/B/approve/",
        {
            "password": PASSWORD,
            "content_hash": shown,
            "no_retraining": "on",
            "justification": "Typo fixed in section 1",
        },
        follow=True,
    )
    assert _decision(revision_b) == ("effective", False, "Typo fixed in section 1")
    events = events_since(before)
    assert [e.action for e in events] == APPROVED_BY_SIGNATURE
    approved = events[1]
    assert approved.reason == "No retraining needed: Typo fixed in section 1"
    assert changes_of(approved) == {
        "state": ["in_review", "approved"],
        "step": "approve",
        "retraining_needed": [True, False],
        "retraining_justification": ["", "Typo fixed in section 1"],
    }
    assert not Assignment.objects.filter(revision=revision_b).exists()
    html = page.content.decode()
    assert "<strong>No retraining needed (minor change)</strong>" in html
    assert "Typo fixed in section 1" in html


def test_ticking_without_a_justification_changes_nothing(signed_in, cast, revision_b):
    client = signed_in(cast.approver)
    shown = _hash(client.get("/documents/SOP-001/B/"))
    before = event_count()
    page = client.post(
        "/documents/SOP-001/B/approve/",
        {"password": PASSWORD, "content_hash": shown, "no_retraining": "on", "justification": ""},
        follow=True,
    )
    assert "Give the justification." in page.content.decode()
    assert _decision(revision_b) == ("in_review", True, "")
    assert event_count() == before


def test_without_the_decision_everyone_trains_on_the_new_revision(signed_in, cast, revision_b):
    client = signed_in(cast.approver)
    shown = _hash(client.get("/documents/SOP-001/B/"))
    page = client.post(
        "/documents/SOP-001/B/approve/",
        {"password": PASSWORD, "content_hash": shown, "justification": "ignored, not ticked"},
        follow=True,
    )
    assert _decision(revision_b) == ("effective", True, "")
    assert list(Assignment.objects.filter(revision=revision_b).values_list("person")) == [
        (cast.trainee.pk,)
    ]
    assert "Needed: people trained on an earlier revision train on this one." in (
        page.content.decode()
    )


def test_no_retraining_decided_over_the_api(client, cast, revision_b):
    approver = Api(client, cast.approver)
    seen = approver.get("/SOP-001/revisions/B").json()["content_hash"]
    before = event_count()
    response = approver.post(
        "/SOP-001/revisions/B/approve",
        {
            "password": PASSWORD,
            "content_hash": seen,
            "reason": "Checked against the change request",
            "no_retraining": "Wording only",
        },
    )
    assert (response.status_code, response.json()["state"]) == (200, "effective")
    assert _decision(revision_b) == ("effective", False, "Wording only")
    read_back = approver.get("/SOP-001/revisions/B").json()
    assert (read_back["retraining_needed"], read_back["retraining_justification"]) == (
        False,
        "Wording only",
    )
    events = events_since(before)
    assert [e.action for e in events] == APPROVED_BY_SIGNATURE
    assert events[1].reason == (
        "Checked against the change request — No retraining needed: Wording only"
    )
    assert not Assignment.objects.filter(revision=revision_b).exists()


def test_the_api_refuses_the_decision_on_another_step(client, cast, revision_b):
    reviewer = Api(client, cast.reviewer)
    before = event_count()
    response = reviewer.post(
        "/SOP-001/revisions/B/review", {"password": PASSWORD, "no_retraining": "Minor"}
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Only the approver decides that no retraining is needed."
    assert _decision(revision_b) == ("in_review", True, "")
    assert event_count() == before


def test_the_api_refuses_the_decision_on_a_first_revision(client, cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    approver = Api(client, cast.approver)
    before = event_count()
    response = approver.post(
        "/SOP-001/revisions/A/approve", {"password": PASSWORD, "no_retraining": "Minor"}
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("A first revision has nobody trained")
    assert Revision.objects.get().state == "in_review" and event_count() == before
