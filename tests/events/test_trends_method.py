"""The trend method of a device, as its PMS plan states it: set by who handles quality
events, audited; a changed method is a new row and the old one stays as history."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events.actions import trends as actions
from openqms.events.models import TrendMethod
from openqms.testing import changes_of, event_count, last_event

from .trend_support import baseline_method


@pytest.mark.verifies("EVT-019")
def test_qa_lead_sets_a_baseline_method_and_the_trail_records_it(cast, device):
    method = baseline_method(cast, device)
    assert method.series == ["non_serious_incident", "expected_side_effect"]
    event = last_event()
    assert (event.action, event.object_id) == ("events.trendmethod.set", str(method.pk))
    assert changes_of(event) == {
        "device": [None, str(device)],
        "replaces": [None, None],
        "plan_reference": [None, "PMS plan rev A, section 5"],
        "series": [None, ["non_serious_incident", "expected_side_effect"]],
        "period": [None, "month"],
        "mode": [None, "baseline"],
        "baseline_periods": [None, 12],
        "k": [None, "3.00"],
    }


@pytest.mark.verifies("EVT-019")
def test_a_changed_method_is_a_new_row_and_the_old_one_is_kept(cast, device):
    first = baseline_method(cast, device)
    second = actions.set_trend_method(
        actor=cast.qa_lead,
        device=device,
        plan_reference="PMS plan rev B, section 5",
        counts_side_effects=False,
        period="quarter",
        mode="threshold",
        threshold="2.5",
    )
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert actions.method_in_force(device) == second
    assert TrendMethod.objects.filter(device=device).count() == 2
    assert changes_of(last_event())["threshold"] == [None, "2.500"]
    assert changes_of(last_event())["replaces"] == [None, first.pk]


@pytest.mark.verifies("EVT-019")
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mode": "threshold", "baseline_periods": None}, "threshold"),
        ({"mode": "threshold", "threshold": "-1"}, "threshold"),
        ({"baseline_periods": None}, "baseline_periods"),
        ({"baseline_periods": 1}, "baseline_periods"),
        ({"k": "abc"}, "k"),
        ({"period": "week"}, "period"),
        ({"plan_reference": ""}, "plan_reference"),
        ({"counts_non_serious": False, "counts_side_effects": False}, "counts_non_serious"),
        (
            {"baseline_periods": None, "baseline_from": "2026-06-01", "baseline_to": "2026-01-01"},
            "baseline_to",
        ),
    ],
)
def test_a_bad_method_is_refused_naming_the_field_and_nothing_changes(cast, device, fields, field):
    first = baseline_method(cast, device)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        baseline_method(cast, device, **fields)
    assert field in refused.value.fields
    assert actions.method_in_force(device) == first
    assert TrendMethod.objects.count() == 1
    assert event_count() == before


@pytest.mark.verifies("EVT-019")
def test_only_who_handles_quality_events_sets_the_method(cast, device):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.set_trend_method(
            actor=cast.auditor, device=device, plan_reference="x", baseline_periods=12
        )
    assert TrendMethod.objects.count() == 0
    assert event_count() == before
