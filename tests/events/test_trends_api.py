"""Trends over the API: figures, the method, the computed series as JSON, trend reports
opened, submitted with a signature and closed; lists in constant queries."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.events.models import ExposureFigure
from openqms.testing import PASSWORD, event_count

from .test_trends_reports import rising  # noqa: F401  (fixture)


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


@pytest.mark.verifies("EVT-019")
def test_figures_are_entered_listed_and_withdrawn(client, cast, device):
    qa = Api(client, cast.qa_lead)
    body = {"period_start": "2026-01-01", "period_end": "2026-01-31", "units_sold": 10}
    made = qa.send("post", f"/trends/devices/{device.pk}/figures", body)
    assert made.status_code == 201, made.content
    again = qa.send("post", f"/trends/devices/{device.pk}/figures", body)
    assert again.status_code == 422
    assert "already covers" in again.content.decode()
    listed = qa.get(f"/trends/devices/{device.pk}/figures").json()
    assert listed["count"] == 1
    pk = made.json()["id"]
    gone = qa.send("post", f"/trends/figures/{pk}/withdraw", {"reason": "Wrong"})
    assert gone.json()["withdrawn_reason"] == "Wrong"


@pytest.mark.verifies("EVT-019")
def test_the_auditor_reads_but_cannot_enter_figures(client, cast, device):
    auditor = Api(client, cast.auditor)
    before = event_count()
    body = {"period_start": "2026-01-01", "period_end": "2026-01-31", "units_sold": 10}
    assert auditor.send("post", f"/trends/devices/{device.pk}/figures", body).status_code == 403
    assert ExposureFigure.objects.count() == 0 and event_count() == before
    assert auditor.get(f"/trends/devices/{device.pk}/figures").status_code == 200


@pytest.mark.verifies("EVT-020")
def test_the_series_json_gives_rates_limits_and_signals(client, cast, rising):  # noqa: F811
    got = Api(client, cast.auditor).get(f"/trends/devices/{rising.pk}").json()
    series = got["series"][0]
    assert series["series"] == "non_serious_incident"
    assert series["expected_per_1000"] == 2.0
    last = series["points"][-1]
    assert (last["label"], last["count"], last["signal"]) == ("Jan 2026", 9, True)
    assert series["unreported_increases"] == [["2026-01-01", "2026-01-01"]]
    assert got["method"]["baseline_periods"] == 12


@pytest.mark.verifies("EVT-019")
def test_a_method_is_set_over_the_api(client, cast, device):
    qa = Api(client, cast.qa_lead)
    assert qa.get(f"/trends/devices/{device.pk}/method").status_code == 404
    body = {"plan_reference": "Plan", "mode": "threshold", "threshold": "2", "period": "quarter"}
    assert qa.send("put", f"/trends/devices/{device.pk}/method", body).status_code == 200
    assert qa.get(f"/trends/devices/{device.pk}/method").json()["threshold"] == "2.000"


@pytest.mark.verifies("EVT-021")
def test_a_report_is_opened_submitted_signed_and_closed(client, cast, rising):  # noqa: F811
    qa = Api(client, cast.qa_lead)
    made = qa.send(
        "post",
        "/trend-reports",
        {
            "device_id": rising.pk,
            "series": "non_serious_incident",
            "increase_from": "2026-01-01",
            "increase_to": "2026-01-31",
            "conclusion": "Rise.",
        },
    )
    assert made.status_code == 201, made.content
    report = made.json()
    assert report["steps"] == ["submit"]
    signed = qa.send(
        "post",
        f"/trend-reports/{report['id']}/submit",
        {
            "password": PASSWORD,
            "content_hash": report["content_sha256"],
            "mhra_reference": "MHRA-7",
            "submitted_on": dt.date.today().isoformat(),
        },
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "submitted"
    assert signed.json()["signatures"][0]["meaning"] == "trend_report_submitted"
    closed = qa.send("post", f"/trend-reports/{report['id']}/close")
    assert closed.json()["state"] == "closed"


@pytest.mark.verifies("EVT-038", refusal=True)
@pytest.mark.parametrize("path", ["/trend-reports", "/trends/devices/{pk}"])
def test_an_outsider_meets_404(client, cast, device, path):
    got = Api(client, cast.outsider).get(path.format(pk=device.pk))
    assert got.status_code in (401, 404)


def test_the_report_list_takes_the_same_queries_for_few_and_many(client, cast, rising):  # noqa: F811
    from .test_trends_reports import open_report

    api = Api(client, cast.auditor)
    open_report(cast, rising)

    def count():
        with CaptureQueriesContext(connection) as seen:
            assert api.get("/trend-reports").status_code == 200
        return len(seen)

    count()  # the first call with a new token records its first use
    few = count()
    for _ in range(3):
        open_report(cast, rising)
    assert count() == few
