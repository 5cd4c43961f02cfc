"""The include other areas put on a complaint's page ("events/vigilance/clock.html"):
the rule applied, the deadline and the time left; nothing for a complaint that is not
reportable; the submitted initial report once the clock stopped."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from openqms.events.models import Category

from .conftest import uk
from .vigilance_support import decide, make_complaint, reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")


def _shown(complaint):
    return render_to_string("events/vigilance/clock.html", {"complaint": complaint})


@pytest.mark.verifies("EVT-011")
def test_a_running_clock_shows_its_rule_deadline_and_time_left(cast, device):
    html = _shown(reportable_complaint(cast, device, AWARE))
    assert "death or unanticipated serious deterioration of health: 10 days" in html
    assert "Part 4A" in html and "end of Thu 12 Mar 2026 (UK time)" in html
    assert "overdue by" in html  # 2 March 2026 is long past


@pytest.mark.verifies("EVT-011")
def test_a_complaint_not_reportable_shows_no_clock(cast, device):
    complaint = make_complaint(cast, device, AWARE)
    assert _shown(complaint).strip() == ""
    decide(cast, complaint, Category.NOT_REPORTABLE)
    assert _shown(complaint).strip() == ""


@pytest.mark.verifies("EVT-011")
def test_a_stopped_clock_names_the_initial_report_and_whether_it_was_on_time(cast, device):
    complaint = reportable_complaint(cast, device, AWARE)
    report = submitted(cast, complaint, at=AWARE + dt.timedelta(days=2))
    html = _shown(complaint)
    assert report.number in html and "on time" in html and "overdue" not in html
