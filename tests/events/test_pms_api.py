"""PMS over the API: reports scheduled, prepared and completed (signed with the password
and the content hash in the body), MHRA requests recorded and answered, holidays."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.events.actions import pms
from openqms.events.models import MhraRequest, PmsReport
from openqms.testing import PASSWORD, event_count

from .conftest import effective_document, make_device
from .pms_helpers import placed

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/events{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/events{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.mark.verifies("EVT-022", "EVT-023")
def test_a_report_goes_from_scheduled_to_completed_over_the_api(client, cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    document = effective_document(cast, "RhythmCheck PSUR", doc_type="report")
    api = Api(client, cast.qa_lead)
    made = api.send("post", f"/pms/devices/{device.pk}/reports")
    assert made.status_code == 201, made.content
    report = made.json()
    assert (report["report_type"], report["due_on"]) == ("psur", "2027-03-10")
    pk = report["id"]
    assert api.send("post", f"/pms/reports/{pk}/start").json()["state"] == "in_preparation"
    body = {"document": document.number, "conclusions": "Acceptable."}
    shown = api.send("put", f"/pms/reports/{pk}/details", body).json()["content_sha256"]
    done = api.send(
        "post", f"/pms/reports/{pk}/complete", {"password": PASSWORD, "content_hash": shown}
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "completed"
    listed = api.get("/pms/reports", device=device.pk).json()
    assert [r["number"] for r in listed] == [report["number"]]


@pytest.mark.verifies("EVT-023", refusal=True)
def test_a_stale_content_hash_signs_nothing(client, cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    document = effective_document(cast, "RhythmCheck PSUR", doc_type="report")
    api = Api(client, cast.qa_lead)
    pk = api.send("post", f"/pms/devices/{device.pk}/reports").json()["id"]
    api.send("post", f"/pms/reports/{pk}/start")
    api.send("put", f"/pms/reports/{pk}/details", {"document": document.number, "conclusions": "A"})
    response = api.send(
        "post", f"/pms/reports/{pk}/complete", {"password": PASSWORD, "content_hash": "0" * 64}
    )
    assert response.status_code == 409
    assert PmsReport.objects.get().state == "in_preparation"


@pytest.mark.verifies("EVT-024")
def test_an_mhra_request_is_recorded_and_answered_over_the_api(client, cast, device):
    api = Api(client, cast.qa_lead)
    made = api.send(
        "post",
        "/pms/requests",
        {"title": "Plan", "device": device.pk, "received_at": "2026-03-12T10:00", "asked": "Plan"},
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["deadline_at"].startswith("2026-03-18T00:00")
    answered = api.send(
        "post", f"/pms/requests/{pk}/answer", {"answered_at": "2026-03-13T09:00", "sent": "Plan"}
    )
    assert answered.json()["on_time"] is True


def test_a_bad_request_names_the_field_and_writes_nothing(client, cast, device):
    api = Api(client, cast.qa_lead)
    before = event_count()
    response = api.send(
        "post", "/pms/requests", {"title": "Plan", "received_at": "soon", "asked": "Plan"}
    )
    assert response.status_code in (400, 422)
    assert "received_at" in response.content.decode()
    assert event_count() == before and not MhraRequest.objects.exists()


@pytest.mark.verifies("EVT-024")
def test_holidays_are_listed_and_added_by_who_configures(client, cast):
    qa, author = Api(client, cast.qa_lead), Api(client, cast.author)
    added = qa.send("post", "/pms/holidays", {"date": "2027-06-07", "name": "Jubilee"})
    assert added.status_code == 201
    assert author.get("/pms/holidays").json() == [{"date": "2027-06-07", "name": "Jubilee"}]
    refused = author.send("post", "/pms/holidays", {"date": "2027-06-08", "name": "X"})
    assert refused.status_code == 404


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404_on_the_pms_api(client, cast, device):
    api = Api(client, cast.outsider)
    assert api.get("/pms/reports").status_code == 404
    assert api.get("/pms/requests").status_code == 404
    assert api.get(f"/pms/devices/{device.pk}/plans").status_code == 404


def test_the_report_list_runs_the_same_queries_for_1_or_4_reports(client, cast, family):
    api = Api(client, cast.auditor)
    devices = [make_device(cast, family, name=f"D{n}", model=str(n)) for n in range(4)]
    for d in devices:
        placed(cast, d, dt.date(2025, 1, 1))
    pms.schedule_pms_report(actor=cast.qa_lead, device=devices[0])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/pms/reports").status_code == 200
        return len(queries)

    count()  # the token's first use is recorded once
    one = count()
    for d in devices[1:]:
        pms.schedule_pms_report(actor=cast.qa_lead, device=d)
    assert count() == one
