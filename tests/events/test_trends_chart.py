"""The chart: a well-formed SVG with a title and description, labelled axes, the limit
line, and each signal marked and named."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from openqms.events import chart
from openqms.events.models import TrendMethod

from .trend_support import month_start

NS = {"s": "http://www.w3.org/2000/svg"}


def trend(rows, **fields):
    m = TrendMethod(
        device_id=7,
        plan_reference="plan",
        period="month",
        mode="baseline",
        baseline_periods=3,
        k=Decimal("3"),
        **fields,
    )
    first = dt.date(2026, 1, 1)
    exposure = {month_start(first, i): n for i, (n, _) in enumerate(rows)}
    counts = {month_start(first, i): c for i, (_, c) in enumerate(rows)}
    return chart.compute(m, "non_serious_incident", exposure, counts)


@pytest.mark.verifies("EVT-020")
def test_the_chart_is_well_formed_svg_with_the_signal_marked():
    t = trend([(1000, 2), (1000, 2), (1000, 2), (1000, 3), (1000, 12)])
    root = ET.fromstring(chart.svg(t, "RhythmCheck 2.1 <test> & co: non-serious incidents"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("s:title", NS).text == "RhythmCheck 2.1 <test> & co: non-serious incidents"
    assert "1 period above the limit" in root.find("s:desc", NS).text
    signals = root.findall(".//s:circle[@class='signal']", NS)
    assert len(signals) == 1
    assert "May 2026: 12.00 per 1,000" in signals[0].find("s:title", NS).text
    assert "signal" in signals[0].find("s:title", NS).text
    assert len(root.findall(".//s:circle[@class='point']", NS)) == 4
    assert root.find(".//s:polyline[@class='limit']", NS) is not None
    texts = [e.text for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Rate per 1,000 units" in texts
    assert "Period (month)" in texts
    assert "Jan 2026" in texts


@pytest.mark.verifies("EVT-020")
def test_a_chart_without_figures_still_parses_and_says_so():
    root = ET.fromstring(chart.svg(trend([]), "Empty"))
    assert "no figures yet" in root.find("s:desc", NS).text
    assert root.findall(".//s:circle", NS) == [] or all(
        c.get("class") is None for c in root.findall(".//s:circle", NS)
    )


@pytest.mark.verifies("EVT-020")
def test_a_threshold_chart_names_its_line_a_threshold():
    t = trend([(1000, 2), (1000, 9)], threshold=Decimal("5"))
    t.method.mode = "threshold"
    t = chart.compute(
        t.method,
        t.series,
        {p.start: p.exposure for p in t.points},
        {p.start: p.count for p in t.points},
    )
    root = ET.fromstring(chart.svg(t, "Threshold"))
    line = root.find(".//s:polyline[@class='limit']", NS)
    assert line.find("s:title", NS).text == "Threshold"
    assert len(root.findall(".//s:circle[@class='signal']", NS)) == 1
