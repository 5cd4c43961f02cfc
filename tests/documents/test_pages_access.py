"""Who reaches which document page: the same 404 for missing and forbidden, drafts kept
from ordinary readers, superseded revisions marked as such."""

import pytest

from openqms.documents import actions
from openqms.documents.models import Document, Revision
from openqms.testing import PASSWORD, event_count, named
from tests.documents.conftest import SIGN

PAGES = [
    "/documents/new/",
    "/documents/SOP-001/",
    "/documents/SOP-001/A/",
    "/documents/SOP-001/A/edit/",
    "/documents/SOP-001/B/",
]
POSTS = [
    "/documents/new/",
    "/documents/SOP-001/start/",
    "/documents/SOP-001/withdraw/",
    "/documents/SOP-001/A/edit/",
    "/documents/SOP-001/B/edit/",
    "/documents/SOP-001/B/submit/",
    "/documents/SOP-001/B/review/",
    "/documents/SOP-001/B/approve/",
    "/documents/SOP-001/B/reject/",
]


@pytest.fixture
def revision_b(cast, effective):
    """SOP-001: A effective, B a draft by the author."""
    return actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Annual review"
    )


def _snapshot():
    return list(Revision.objects.values_list("label", "state", "body")), list(
        Document.objects.values_list("number", "withdrawn_at")
    )


@pytest.mark.parametrize("path", PAGES)
def test_outsider_gets_not_found_on_every_document_page(signed_in, cast, revision_b, path):
    assert signed_in(cast.outsider).get(path).status_code == 404


@pytest.mark.parametrize("path", POSTS)
def test_outsider_changes_nothing_by_posting(signed_in, cast, revision_b, path):
    before, snapshot = event_count(), _snapshot()
    response = signed_in(cast.outsider).post(
        path, {"reason": "x", "change_reason": "x", "password": PASSWORD, "title": "x"}
    )
    assert response.status_code == 404
    assert event_count() == before and _snapshot() == snapshot


def test_missing_and_forbidden_look_the_same(client, cast, revision_b):
    def main(response):
        html = response.content.decode()
        return response.status_code, html[html.index("<main") : html.index("</main>")]

    client.force_login(cast.qa_lead)
    missing = client.get("/documents/SOP-999/")
    client.force_login(cast.trainee)
    forbidden = client.get("/documents/SOP-001/B/")
    assert main(missing) == main(forbidden)
    assert main(missing)[0] == 404


def test_trainee_reads_the_effective_revision(signed_in, cast, revision_b):
    client = signed_in(cast.trainee)
    html = client.get("/documents/SOP-001/").content.decode()
    assert "<p>Control documents.</p>" in html
    assert "Revision B" not in html and "Start revision" not in html
    assert client.get("/documents/SOP-001/A/").status_code == 200


def test_trainee_gets_not_found_on_a_draft(signed_in, cast, revision_b):
    client = signed_in(cast.trainee)
    assert client.get("/documents/SOP-001/B/").status_code == 404
    assert client.get("/documents/SOP-001/B/edit/").status_code == 404


def test_an_author_learns_a_revision_is_in_progress_without_seeing_it(signed_in, cast, effective):
    actions.start_revision(actor=cast.qa_lead, document=effective.document, change_reason="x")
    html = signed_in(cast.author).get("/documents/SOP-001/").content.decode()
    assert "A new revision is in progress." in html
    assert "Revision B" not in html and "Start revision" not in html
    trainee = signed_in(cast.trainee).get("/documents/SOP-001/").content.decode()
    assert "A new revision is in progress." not in trainee


def test_superseded_revision_carries_a_badge_for_qa(signed_in, cast, revision_b):
    actions.edit_draft(
        actor=cast.author,
        revision=revision_b,
        body="Revised",
        change_summary="Clarified",
        change_reason="Annual review",
    )
    b = actions.take_step(actor=cast.author, revision=revision_b, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=b, step="review", credentials=SIGN)
    actions.take_step(actor=cast.approver, revision=b, step="approve", credentials=SIGN)
    client = signed_in(cast.qa_lead)
    history = client.get("/documents/SOP-001/").content.decode()
    assert '<span class="badge state-superseded">superseded</span>' in history
    page = client.get("/documents/SOP-001/A/").content.decode()
    assert '<span class="badge state-superseded">superseded</span>' in page
    assert "This is not the current revision" in page
    assert signed_in(cast.trainee).get("/documents/SOP-001/A/").status_code == 404
