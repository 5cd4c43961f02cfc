"""A draft's text never appears in the trail for someone who cannot open the draft (page,
CSV, JSON, API), and does for someone who can. The administrator reads the trail but
only effective documents; the auditor reads every revision."""

import pytest

from openqms.documents import actions

SECRET = "Confidential: recall plan for the X200 pump"


@pytest.fixture
def secret_draft(cast, draft):
    return actions.edit_draft(
        actor=cast.author,
        revision=draft,
        body=SECRET,
        change_summary="First issue",
        change_reason="New procedure",
    )


def _everything(client) -> str:
    page = client.get("/audit/", {"action": "documents.revision.edited"}).content.decode()
    csv_text = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    json_text = b"".join(client.get("/audit/export.json").streaming_content).decode()
    api = client.get("/api/v1/audit/events", {"limit": 500}).content.decode()
    return "\n".join([page, csv_text, json_text, api])


def test_who_cannot_open_the_draft_sees_only_that_events_happened(signed_in, cast, secret_draft):
    client = signed_in(cast.admin)
    seen = _everything(client)
    assert "recall plan" not in seen
    assert "Document control" not in seen  # the draft's title is its content too
    page = client.get("/audit/", {"action": "documents.revision.edited"})
    rows = page.context["rows"]
    assert [(r.record.label, r.record.url, r.readable) for r in rows] == [
        ("Record you cannot open", "", False),
        ("Record you cannot open", "", False),
    ]
    assert [r.event.actor_name for r in rows] == ["Alex Author", "Alex Author"]
    assert "Not shown: you cannot open this record." in page.content.decode()
    items = client.get("/api/v1/audit/events", {"action": "documents.revision.edited"}).json()
    assert [(i["record"], i["changes"], i["reason"]) for i in items["items"]] == [
        ("Record you cannot open", {}, ""),
        ("Record you cannot open", {}, ""),
    ]


def test_who_can_open_the_draft_reads_its_events(signed_in, cast, secret_draft):
    seen = _everything(signed_in(cast.auditor))
    assert seen.count("recall plan") >= 4  # page, CSV, JSON and API each show it


def test_searching_for_the_draft_s_title_finds_nothing_for_who_cannot_open_it(
    signed_in, cast, secret_draft
):
    assert (
        list(signed_in(cast.admin).get("/audit/", {"record": "Document control"}).context["rows"])
        == []
    )
    found = signed_in(cast.auditor).get("/audit/", {"record": "Document control"}).context["rows"]
    assert found and all(r.readable for r in found)


def test_once_effective_its_history_is_everyone_s_to_read(signed_in, cast, effective):
    rows = signed_in(cast.admin).get("/audit/", {"record": "SOP-001"}).context["rows"]
    assert rows and all(r.readable for r in rows)
