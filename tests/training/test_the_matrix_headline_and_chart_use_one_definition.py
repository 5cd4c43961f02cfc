"""The matrix's headline and its chart give one figure, “% current”, by one stated
definition: requirements current ÷ requirements. Unfiltered, the chart ends on today's
headline (not on a snapshot hours or days old); filtered, the page says whom each counts."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.training import actions, chart, matrix
from openqms.training.models import Assignment, ComplianceSnapshot, percent_current

from .conftest import SIGN
from .test_pages_matrix import field_engineer, licence, team  # noqa: F401  (fixtures)

pytestmark = pytest.mark.verifies("TRN-014")

TODAY = timezone.localdate()


def _stale_snapshot():
    """Two days ago nobody was current: 0 of 2."""
    ComplianceSnapshot.objects.create(
        day=TODAY - dt.timedelta(days=2),
        required=2,
        current=0,
        overdue=0,
        recorded_at=timezone.now(),
    )


def _train_the_trainee(cast):
    assignment = Assignment.objects.get(person=cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)


def test_one_function_gives_every_percentage():
    assert percent_current(1, 3) == 33.3
    assert percent_current(2, 3) == 66.7
    assert percent_current(0, 0) == 100.0
    snapshot = ComplianceSnapshot(day=TODAY, required=3, current=1, overdue=0)
    assert snapshot.percent == 33.3  # the chart's figure, rounded as the headline is


def test_the_unfiltered_headline_is_the_charts_last_point(signed_in, cast, team):  # noqa: F811
    _stale_snapshot()
    _train_the_trainee(cast)  # now 1 of 2 requirements current
    page = signed_in(cast.qa_lead).get("/training/matrix/")
    html = page.content.decode()
    assert page.context["totals"]["current"] == 1 and page.context["totals"]["required"] == 2
    assert '<strong class="percent-current">50.0% current</strong>' in html
    points = page.context["points"]
    if TODAY.isocalendar()[:2] == (TODAY - dt.timedelta(days=2)).isocalendar()[:2]:
        assert [(p.day, p.current, p.required, p.percent) for p in points] == [(TODAY, 1, 2, 50.0)]
    else:
        assert [(p.day, p.current, p.required, p.percent) for p in points] == [
            (TODAY - dt.timedelta(days=2), 0, 2, 0.0),
            (TODAY, 1, 2, 50.0),
        ]
    assert "These figures count everyone, as the chart does: its last point is today" in html
    assert matrix.DEFINITION in html


def test_a_filtered_view_says_the_chart_counts_everyone(signed_in, cast, team):  # noqa: F811
    _stale_snapshot()
    _train_the_trainee(cast)
    page = signed_in(cast.qa_lead).get("/training/matrix/", {"department": "Service"})
    html = page.content.decode()
    # Only the author (licence due): 0 of 1; the chart keeps its recorded everyone figures.
    assert '<strong class="percent-current">0.0% current</strong>' in html
    assert [p.percent for p in page.context["points"]] == [0.0]
    assert "These figures count the people in this view; the chart counts everyone." in html


def test_completion_by_document_states_the_same_definition(signed_in, cast, team):  # noqa: F811
    _train_the_trainee(cast)
    html = signed_in(cast.qa_lead).get("/training/matrix/documents/").content.decode()
    assert "1 of 2 requirements current (50.0% current)." in html
    assert matrix.DEFINITION in html


def test_without_any_snapshot_the_live_figure_draws_no_chart(db):
    assert chart.weekly_points(live={"current": 1, "required": 2, "overdue": 0}) == []
