"""The trend pages: the devices' overview, a device's chart with its data table and the
"write a trend report" badge, the SVG download, the forms (errors shown, input kept),
trend reports; lists in a constant number of queries; outsiders meet 404."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.events.models import ExposureFigure, TrendReport
from openqms.testing import PASSWORD

from .test_trends_reports import open_report, rising  # noqa: F401  (fixture)
from .trend_support import baseline_method


@pytest.mark.verifies("EVT-020")
def test_the_device_page_shows_the_chart_table_method_and_badge(cast, signed_in, rising):  # noqa: F811
    page = signed_in(cast.auditor).get(reverse("events:device-trend", args=[rising.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "write a trend report" in html
    assert "PMS plan rev A, section 5" in html
    assert 'class="signal"' in html
    assert "<caption>Non-serious incidents of" in html
    assert "Write a trend report</a>" not in html  # the auditor cannot write one
    manager = signed_in(cast.qa_lead).get(reverse("events:device-trend", args=[rising.pk]))
    assert "Write a trend report</a>" in manager.content.decode()


@pytest.mark.verifies("EVT-020")
def test_the_chart_downloads_as_svg(cast, signed_in, rising):  # noqa: F811
    url = reverse("events:device-trend-svg", args=[rising.pk, "non_serious_incident"])
    got = signed_in(cast.auditor).get(url)
    assert got["Content-Type"] == "image/svg+xml"
    assert "attachment" in got["Content-Disposition"]
    ET.fromstring(got.content)
    missing = reverse("events:device-trend-svg", args=[rising.pk, "nothing"])
    assert signed_in(cast.auditor).get(missing).status_code == 404


@pytest.mark.verifies("EVT-019")
def test_a_bad_figure_is_shown_again_with_its_problem_and_the_input_kept(cast, signed_in, device):
    client = signed_in(cast.qa_lead)
    url = reverse("events:exposure-add", args=[device.pk])
    data = {"period_start": "2026-02-01", "period_end": "2026-01-01", "units_sold": "321"}
    got = client.post(url, data)
    html = got.content.decode()
    assert got.status_code == 200
    assert "The period must end on or after its start." in html
    assert 'value="321"' in html
    assert ExposureFigure.objects.count() == 0
    data["period_end"] = "2026-02-28"
    assert client.post(url, data).status_code == 302
    assert ExposureFigure.objects.count() == 1


@pytest.mark.verifies("EVT-019")
def test_the_method_form_sets_a_method(cast, signed_in, device):
    client = signed_in(cast.qa_lead)
    url = reverse("events:trend-method", args=[device.pk])
    assert client.get(url).status_code == 200
    got = client.post(
        url,
        {
            "plan_reference": "PMS plan rev A",
            "counts_non_serious": "on",
            "period": "quarter",
            "mode": "threshold",
            "threshold": "",
        },
    )
    assert "Give the threshold" in got.content.decode()
    assert 'value="PMS plan rev A"' in got.content.decode()
    got = client.post(
        url,
        {
            "plan_reference": "PMS plan rev A",
            "counts_non_serious": "on",
            "period": "quarter",
            "mode": "threshold",
            "threshold": "4",
        },
    )
    assert got.status_code == 302


@pytest.mark.verifies("EVT-021")
def test_a_report_is_written_submitted_with_a_signature_and_closed_from_the_pages(
    cast,
    signed_in,
    rising,  # noqa: F811
):
    client = signed_in(cast.qa_lead)
    new = reverse("events:trend-report-create") + f"?device={rising.pk}&series=non_serious_incident"
    assert client.get(new).status_code == 200
    got = client.post(
        new,
        {
            "series": "non_serious_incident",
            "increase_from": "2026-01-01",
            "increase_to": "2026-01-01",
            "conclusion": "A real rise.",
        },
    )
    report = TrendReport.objects.get()
    assert got.url == reverse("events:trend-report", args=[report.pk])
    page = client.get(got.url).content.decode()
    assert "Record the submission" in page and "Linked records" in page
    from openqms.core.signatures import content_hash

    client.post(
        reverse("events:trend-report-submit", args=[report.pk]),
        {
            "password": PASSWORD,
            "content_hash": content_hash(report.signature_content()),
            "mhra_reference": "MHRA-9",
            "submitted_on": dt.date.today().isoformat(),
        },
    )
    report.refresh_from_db()
    assert (report.state, report.mhra_reference) == ("submitted", "MHRA-9")
    client.post(reverse("events:trend-report-close", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "closed"


@pytest.mark.verifies("EVT-038", refusal=True)
@pytest.mark.parametrize(
    "name", ["events:trends", "events:trend-reports", "events:trend-report-create"]
)
def test_an_outsider_meets_404_on_the_lists(cast, signed_in, name):
    assert signed_in(cast.outsider).get(reverse(name)).status_code == 404


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404_on_a_device_and_a_report(cast, signed_in, rising):  # noqa: F811
    report = open_report(cast, rising)
    client = signed_in(cast.outsider)
    for url in (
        reverse("events:device-trend", args=[rising.pk]),
        reverse("events:trend-report", args=[report.pk]),
        reverse("events:exposure-add", args=[rising.pk]),
    ):
        assert client.get(url).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_the_lists_take_the_same_queries_for_few_and_many_rows(
    cast, signed_in, device, class_i_device
):
    client = signed_in(cast.auditor)
    baseline_method(cast, device)
    few = (_queries(client, reverse("events:trends")),)
    baseline_method(cast, class_i_device)
    many = (_queries(client, reverse("events:trends")),)
    assert few == many
    method = baseline_method(cast, device)

    def add(month):
        TrendReport.objects.create(
            number=f"TR-T-{month}",
            title="t",
            device=device,
            owner=cast.qa_lead,
            opened_by=cast.qa_lead,
            opened_at=dt.datetime(2026, month, 1, tzinfo=dt.UTC),
            series="non_serious_incident",
            increase_from=dt.date(2026, month, 1),
            increase_to=dt.date(2026, month, 1),
            observed_rate=1,
            expected_rate=1,
            method=method,
        )

    add(1)
    report_few = _queries(client, reverse("events:trend-reports"))
    for month in (2, 3, 4, 5):
        add(month)
    assert _queries(client, reverse("events:trend-reports")) == report_few
