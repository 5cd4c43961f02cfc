"""Changing a record class's retention rule: audited old → new with a reason, never below
the class's minimum nor the minimum of the regulation the rule names."""

import pytest

from openqms.core import retention
from openqms.core.actions.retention import set_retention_rule
from openqms.core.errors import InvalidInput, NotFound, PermissionRefused
from openqms.core.models import RetentionRule
from openqms.core.reconcile import events
from openqms.core.retention_checks import retention_rules
from openqms.testing import changes_of, event_count, last_event
from tests.core.retention_sample import CODE, sample_class


def _set(actor, **changes):
    values = {"years": 10, "counted_from": "closed", "reason": "EU MDR: 10 years"} | changes
    return set_retention_rule(actor=actor, code=CODE, **values)


@pytest.mark.verifies("CORE-025")
def test_a_qa_lead_changes_a_rule_and_the_trail_says_old_and_new(cast):
    with sample_class(years=5):
        _set(cast.qa_lead, regulation="EU MDR Annex IX 8", minimum_years=10)
        rule = retention.rule(CODE)
        event = last_event()
    assert (rule.years, rule.minimum_years, rule.regulation, rule.stored) == (
        10,
        10,
        "EU MDR Annex IX 8",
        True,
    )
    assert (event.action, event.object_type, event.object_id, event.reason) == (
        "core.retention.rule_changed",
        "core.retentionrule",
        CODE,
        "EU MDR: 10 years",
    )
    assert changes_of(event) == {
        "years": [5, 10],
        "counted_from": ["closed", "closed"],
        "regulation": ["", "EU MDR Annex IX 8"],
        "minimum_years": [0, 10],
    }
    assert list(retention_rules()) == []


def test_an_administrator_may_change_a_rule_too(cast):
    with sample_class(years=5):
        _set(cast.admin, years=0)
        assert retention.rule(CODE).text == "kept for ever"


@pytest.mark.verifies("CORE-025", refusal=True)
@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"years": 1}, "years", "the minimum for Specimen records is 2 years"),
        ({"years": 8, "minimum_years": 10}, "years", "minimum for Specimen records is 10 years"),
        ({"counted_from": "whenever"}, "counted_from", "counted from"),
        ({"years": 500}, "years", "between 0 and 200"),
        ({"reason": "  "}, "reason", "reason"),
    ],
)
def test_a_rule_below_its_minimum_or_unclear_is_refused_and_nothing_changes(
    cast, changes, field, says
):
    with sample_class(years=5, minimum_years=2):
        before = event_count()
        with pytest.raises(InvalidInput, match=f"(?i){says}") as refused:
            _set(cast.qa_lead, **changes)
        assert field in refused.value.fields
        assert retention.rule(CODE).years == 5
    assert event_count() == before and not RetentionRule.objects.exists()


def test_who_may_not_manage_retention_is_refused(cast):
    with sample_class():
        before = event_count()
        for person in (cast.author, cast.auditor, cast.outsider):
            with pytest.raises(PermissionRefused):
                _set(person)
    assert event_count() == before and not RetentionRule.objects.exists()


def test_an_unknown_class_is_not_found(cast):
    with pytest.raises(NotFound):
        set_retention_rule(
            actor=cast.qa_lead, code="nope.nothing", years=3, counted_from="closed", reason="x"
        )


def test_a_rule_edited_in_the_database_is_found_by_verify(cast):
    with sample_class():
        _set(cast.qa_lead)
        RetentionRule.objects.filter(record_class=CODE).update(years=1)
        [finding] = retention_rules()
    assert finding.record == f"core.retentionrule {CODE}"
    assert "'years': 1" in finding.row_says
    assert [a for _, a, _, _ in events("core.retention.rule_changed")] == [
        "core.retention.rule_changed"
    ]
