"""Clock rules: added as dated configuration by who may configure, audited, never
back-dated between others; a new rule holds complaints aware from its date."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events import clocks
from openqms.events.actions.vigilance import add_clock_rule
from openqms.events.models import ClockRule
from openqms.testing import changes_of, event_count, last_event

from .conftest import uk

pytestmark = pytest.mark.django_db


def _add(actor, **extra):
    data = {
        "category": "other_serious",
        "days": 12,
        "effective_from": "2027-01-01",
        "legal_reference": "SI 2026/999",
        **extra,
    }
    return add_clock_rule(actor=actor, **data)


@pytest.mark.verifies("EVT-010")
def test_qa_lead_adds_a_rule_with_one_audit_event(cast):
    before = event_count()
    rule = _add(cast.qa_lead)
    assert event_count() == before + 1
    event = last_event()
    assert (event.action, event.object_id) == ("events.clockrule.added", str(rule.pk))
    assert changes_of(event) == {
        "category": "other_serious",
        "days": 12,
        "effective_from": "2027-01-01",
        "legal_reference": "SI 2026/999",
    }
    assert rule.added_by == cast.qa_lead


@pytest.mark.verifies("EVT-010", "EVT-009")
def test_a_new_rule_holds_complaints_aware_from_its_date_only(cast):
    _add(cast.qa_lead)
    assert clocks.rule_in_force("other_serious", uk("2026-12-31 23:59")).days == 15
    assert clocks.rule_in_force("other_serious", uk("2027-01-01 00:01")).days == 12


@pytest.mark.verifies("EVT-010", refusal=True)
@pytest.mark.parametrize("who", ["author", "auditor", "manager", "outsider"])
def test_only_who_configures_adds_a_rule(cast, who):
    before, rules = event_count(), ClockRule.objects.count()
    with pytest.raises(PermissionRefused):
        _add(getattr(cast, who))
    assert (event_count(), ClockRule.objects.count()) == (before, rules)


@pytest.mark.verifies("EVT-010", refusal=True)
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"effective_from": "2025-06-16"}, "effective_from"),  # same day as Part 4A
        ({"effective_from": "2024-01-01"}, "effective_from"),  # between two rules
        ({"days": 0}, "days"),
        ({"days": "ten"}, "days"),
        ({"category": "not_reportable"}, "category"),
        ({"category": "sometimes"}, "category"),
        ({"legal_reference": " "}, "legal_reference"),
        ({"effective_from": "01/01/2027"}, "effective_from"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field_and_nothing_is_written(cast, extra, field):
    before, rules = event_count(), ClockRule.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _add(cast.qa_lead, **extra)
    assert field in refused.value.fields
    assert (event_count(), ClockRule.objects.count()) == (before, rules)


@pytest.mark.verifies("EVT-010")
def test_a_late_recorded_rule_may_be_dated_in_the_past_after_the_latest(cast, monkeypatch):
    rule = _add(cast.qa_lead, effective_from=dt.date(2025, 7, 1))
    assert rule.effective_from == dt.date(2025, 7, 1)
