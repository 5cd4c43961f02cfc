import csv
import io
import json

from django.db import transaction

from openqms.core import audit


def test_filter_by_action_and_user(signed_in, cast):
    client = signed_in(cast.auditor)
    page = client.get("/audit/", {"action": "core.role.granted", "user": ""})
    events = page.context["events"]
    assert events and {e.action for e in events} == {"core.role.granted"}
    assert "Role granted" in page.content.decode()


def test_filter_by_object(signed_in, cast):
    client = signed_in(cast.auditor)
    events = client.get(
        "/audit/", {"object_type": "core.user", "object_id": str(cast.author.pk)}
    ).context["events"]
    assert {e.object_id for e in events} == {str(cast.author.pk)}


def test_filter_by_actor(signed_in, cast):
    with transaction.atomic():
        audit.record(actor=cast.qa_lead, action="core.user.updated", obj=cast.author)
    client = signed_in(cast.auditor)
    events = client.get("/audit/", {"user": "qa-lead"}).context["events"]
    assert [e.actor_id for e in events] == [cast.qa_lead.pk]


def test_bad_date_shows_an_error_and_no_rows(signed_in, cast):
    page = signed_in(cast.auditor).get("/audit/", {"since": "yesterday-ish"})
    assert page.status_code == 200
    assert list(page.context["events"]) == []
    assert "Enter a valid date" in page.content.decode()


def test_pages_link_to_older_events(signed_in, cast, settings):
    settings.AUDIT_PAGE_SIZE = 5
    client = signed_in(cast.auditor)
    first = client.get("/audit/")
    older = first.context["older"]
    assert older is not None
    second = client.get("/audit/", {"before": older})
    assert second.context["events"][0].seq == first.context["events"][-1].seq - 1


def test_htmx_request_gets_only_the_rows(signed_in, cast):
    page = signed_in(cast.auditor).get("/audit/", headers={"HX-Request": "true"})
    html = page.content.decode()
    assert "<table" in html and "<html" not in html


def test_csv_export_of_the_filtered_view(signed_in, cast):
    response = signed_in(cast.auditor).get("/audit/export.csv", {"action": "core.user.created"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 9
    assert {r["action"] for r in rows} == {"core.user.created"}
    assert rows[0]["hash"] and rows[0]["prev_hash"]


def test_json_export_is_valid_json(signed_in, cast):
    response = signed_in(cast.auditor).get("/audit/export.json")
    records = json.loads(b"".join(response.streaming_content))
    assert [r["seq"] for r in records] == sorted(r["seq"] for r in records)
    assert records[0]["changes"]["username"] == [None, "admin"]


def test_unknown_export_format_is_not_found(signed_in, cast):
    assert signed_in(cast.auditor).get("/audit/export.xml").status_code == 404
