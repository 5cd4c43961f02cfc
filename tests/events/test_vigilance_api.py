"""Vigilance's API: the running clocks, clock rules, incident reports drafted, edited and
submitted (signed against the content hash read), lists with constant queries, health
data hidden from the auditor, 404 for the outsider."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.testing import PASSWORD, event_count

from .conftest import uk
from .vigilance_support import reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")


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


@pytest.fixture
def complaint(cast, device):
    return reportable_complaint(cast, device, AWARE)


@pytest.mark.verifies("EVT-012", "EVT-014")
def test_the_qa_lead_drafts_edits_and_submits_a_report(client, cast, complaint):
    api = Api(client, cast.qa_lead)
    made = api.send(
        "post", "/incident-reports", {"complaint": complaint.pk, "report_type": "initial"}
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    edited = api.send("patch", f"/incident-reports/{pk}", {"root_cause": "Threshold"})
    assert edited.json()["report"]["investigation"]["root_cause"] == "Threshold"
    read = api.get(f"/incident-reports/{pk}").json()
    body = {
        "password": PASSWORD,
        "content_hash": read["content_sha256"],
        "mhra_reference": "MHRA-9",
        "submitted_at": "2026-03-05T12:00:00Z",
    }
    done = api.send("post", f"/incident-reports/{pk}/submit", body)
    assert done.status_code == 200, done.content
    assert done.json()["report"]["submission"]["on_time"] is True
    assert [s["meaning"] for s in done.json()["signatures"]] == ["submitted_to_mhra"]


@pytest.mark.verifies("EVT-014", refusal=True)
def test_a_stale_content_hash_submits_nothing(client, cast, complaint):
    api = Api(client, cast.qa_lead)
    pk = api.send(
        "post", "/incident-reports", {"complaint": complaint.pk, "report_type": "initial"}
    ).json()["id"]
    before = event_count()
    body = {
        "password": PASSWORD,
        "content_hash": "0" * 64,
        "mhra_reference": "M",
        "submitted_at": "2026-03-05T12:00:00Z",
    }
    assert api.send("post", f"/incident-reports/{pk}/submit", body).status_code == 409
    assert event_count() == before


@pytest.mark.verifies("EVT-012")
def test_a_bad_report_type_is_refused_naming_the_field(client, cast, complaint):
    api = Api(client, cast.qa_lead)
    before = event_count()
    answer = api.send("post", "/incident-reports", {"complaint": complaint.pk, "report_type": "x"})
    assert answer.status_code == 422 and "report_type" in answer.content.decode()
    assert event_count() == before


@pytest.mark.verifies("EVT-011")
def test_the_clocks_say_time_left_and_the_on_time_rate(client, cast, device, complaint):
    done = reportable_complaint(cast, device, AWARE)
    submitted(cast, done, at=AWARE + dt.timedelta(days=20))
    found = Api(client, cast.auditor).get("/vigilance/clocks").json()
    assert [c["complaint"] for c in found["clocks"]] == [complaint.number]
    assert found["clocks"][0]["overdue"] is True
    assert (found["on_time"], found["submitted"]) == (0, 1)


@pytest.mark.verifies("EVT-005", refusal=True)
def test_the_auditor_reads_a_report_without_its_health_data(client, cast, complaint):
    report = submitted(cast, complaint)
    found = Api(client, cast.auditor).get(f"/incident-reports/{report.pk}/export").json()
    assert found["incident"]["patient_outcome"] == "Health data — hidden"
    assert found["submission"]["mhra_reference"] == "MHRA-1"


@pytest.mark.verifies("EVT-010")
def test_the_clock_rules_are_listed_and_added_by_who_configures(client, cast):
    assert len(Api(client, cast.auditor).get("/clock-rules").json()) == 6
    body = {
        "category": "public_health_threat",
        "days": 1,
        "effective_from": "2030-01-01",
        "legal_reference": "SI 2029/1",
    }
    assert Api(client, cast.auditor).send("post", "/clock-rules", body).status_code == 403
    assert Api(client, cast.qa_lead).send("post", "/clock-rules", body).status_code == 201


@pytest.mark.verifies("EVT-038", refusal=True)
def test_the_outsider_meets_404(client, cast, complaint):
    report = submitted(cast, complaint)
    api = Api(client, cast.outsider)
    for path in [
        "/vigilance/clocks",
        "/clock-rules",
        "/incident-reports",
        f"/incident-reports/{report.pk}",
    ]:
        assert api.get(path).status_code == 404, path


def _queries(api):
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/incident-reports").status_code == 200
        assert api.get("/vigilance/clocks").status_code == 200
    # A token's last use is written at most once a while: not a query of the lists.
    return [q["sql"][:120] for q in queries if "UPDATE" not in q["sql"][:10]]


def test_the_lists_take_the_same_queries_however_many_rows(client, cast, device):
    api = Api(client, cast.auditor)
    submitted(cast, reportable_complaint(cast, device, AWARE))
    reportable_complaint(cast, device, AWARE)
    few = _queries(api)
    for _ in range(3):
        submitted(cast, reportable_complaint(cast, device, AWARE))
        reportable_complaint(cast, device, AWARE)
    many = _queries(api)
    assert many == few, "\n".join(many)
