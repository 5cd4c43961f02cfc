"""Two people editing one draft: a save based on a copy someone has since changed is
refused with the difference shown, never silently applied (issue 10)."""

import re

import pytest

from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import event_count
from tests.documents.test_api_documents import Api

SAVED = "1. Purpose\n\nControl documents and records."
THEIRS = "1. Purpose\n\nControl every document."


def _fields(revision):
    return {
        "body": revision.body,
        "change_summary": revision.change_summary,
        "change_reason": revision.change_reason,
        "effective_date": revision.effective_date,
    }


@pytest.fixture
def stale(cast, draft):
    """The version the author's first copy was loaded from, and the draft saved since
    (e.g. from another tab or by the API)."""
    loaded = actions.draft_version(draft)
    saved = actions.edit_draft(
        actor=cast.author,
        revision=draft,
        body=SAVED,
        change_summary="Records added",
        change_reason="New procedure",
        based_on=loaded,
    )
    return loaded, saved


@pytest.mark.verifies("DOC-009", refusal=True)
def test_the_action_refuses_a_stale_copy_and_writes_nothing(cast, stale):
    loaded, saved = stale
    before, kept = event_count(), _fields(Revision.objects.get())
    with pytest.raises(actions.StaleDraft) as refused:
        actions.edit_draft(
            actor=cast.author,
            revision=saved,
            body=THEIRS,
            change_summary="Simpler",
            change_reason="New procedure",
            based_on=loaded,
        )
    assert refused.value.current_version == actions.draft_version(saved)
    assert refused.value.status == 409 and refused.value.code == "stale_draft"
    assert _fields(Revision.objects.get()) == kept and event_count() == before


def test_the_editor_refuses_a_stale_copy_and_shows_the_difference(signed_in, cast, stale):
    loaded, saved = stale
    client = signed_in(cast.author)
    before = event_count()
    page = client.post(
        "/documents/SOP-001/A/edit/",
        {
            "based_on": loaded,
            "body": THEIRS,
            "change_summary": "Simpler",
            "change_reason": "New procedure",
            "effective_date": "",
            "save": "",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "was changed by someone else since you opened it; nothing was saved." in html
    assert "Your copy is out of date" in html
    # The difference, saved draft against the person's copy, word by word:
    assert (
        '<div class="redline">1. Purpose\n\nControl <del>documents</del><ins>every</ins> '
        "<del>and records.</del><ins>document.</ins></div>"
    ) in html
    assert "<tr><td>Change summary</td><td>Records added</td><td>Simpler</td></tr>" in html
    assert "Control every document.</textarea>" in html  # their text is kept in the form
    # The form now carries the saved draft's version: saving again is a choice made
    # after seeing the difference.
    now = re.search(r'name="based_on" value="([0-9a-f]{64})"', html)[1]
    assert now == actions.draft_version(saved)
    assert Revision.objects.get().body == SAVED and event_count() == before


@pytest.mark.verifies("DOC-009")
def test_the_editor_saves_a_copy_based_on_the_current_version(signed_in, cast, stale):
    client = signed_in(cast.author)
    editor = client.get("/documents/SOP-001/A/edit/").content.decode()
    based_on = re.search(r'name="based_on" value="([0-9a-f]{64})"', editor)[1]
    page = client.post(
        "/documents/SOP-001/A/edit/",
        {
            "based_on": based_on,
            "body": THEIRS,
            "change_summary": "Simpler",
            "change_reason": "New procedure",
            "effective_date": "",
            "save": "",
        },
        follow=True,
    )
    assert "Draft saved." in page.content.decode()
    assert Revision.objects.get().body == THEIRS


@pytest.mark.verifies("DOC-009", refusal=True)
def test_the_api_answers_409_with_the_current_draft_and_writes_nothing(client, cast, stale):
    loaded, saved = stale
    api = Api(client, cast.author)
    before, kept = event_count(), _fields(Revision.objects.get())
    response = api.put(
        "/SOP-001/revisions/A",
        {
            "body": THEIRS,
            "change_summary": "Simpler",
            "change_reason": "New procedure",
            "effective_date": None,
            "based_on": loaded,
        },
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "stale_draft"
    assert body["fields"] == {"based_on": "Out of date."}
    assert body["current_version"] == actions.draft_version(saved)
    assert body["current"]["body"] == SAVED
    assert body["current"]["draft_version"] == body["current_version"]
    assert _fields(Revision.objects.get()) == kept and event_count() == before


def test_the_api_requires_the_version_the_copy_was_based_on(client, cast, draft):
    api = Api(client, cast.author)
    before = event_count()
    response = api.client.put(
        "/api/v1/documents/SOP-001/revisions/A",
        '{"body": "x", "change_reason": "y"}',
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"based_on": "Field required"}
    assert Revision.objects.get().body == draft.body and event_count() == before


def test_the_editor_refuses_a_form_without_the_version_it_was_opened_on(signed_in, cast, draft):
    before = event_count()
    page = signed_in(cast.author).post(
        "/documents/SOP-001/A/edit/",
        {"body": THEIRS, "change_reason": "New procedure", "effective_date": "", "save": ""},
    )
    assert "does not say which version of the draft it was opened on" in page.content.decode()
    assert Revision.objects.get().body == draft.body and event_count() == before
