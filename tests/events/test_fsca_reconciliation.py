"""Reconciliation: dated entries of units reached per market, never more than the units
affected; the percentage overall and per market."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.events.actions import fsca as actions
from openqms.testing import changes_of, event_count, last_event

from .fsca_setup import open_one, snapshot, started

DAY = dt.date(2026, 3, 10)


def _reach(cast, fsca, market, units, on=DAY):
    return actions.record_reconciliation(
        actor=cast.qa_lead, fsca=fsca, market=market.pk, reached_on=on, units_reached=units
    )


@pytest.mark.verifies("EVT-018")
def test_units_reached_add_up_per_market_and_overall(cast, class_i_device):
    fsca = started(cast, class_i_device)
    gb = fsca.markets.get()
    ni = actions.set_market(
        actor=cast.qa_lead, fsca=fsca, market="ni", units_affected=100, users_affected=5
    )
    _reach(cast, fsca, gb, 300)
    _reach(cast, fsca, gb, 100, on=DAY + dt.timedelta(days=3))
    _reach(cast, fsca, ni, 33)
    rows, reached, affected = actions.reach(fsca)
    assert [(r.market.market, r.reached, r.affected, r.percent) for r in rows] == [
        ("gb", 400, 500, 80),
        ("ni", 33, 100, 33),
    ]
    assert (reached, affected, actions.percent(reached, affected)) == (433, 600, 72)
    event = last_event()
    assert event.action == "events.fsca.reconciled"
    assert changes_of(event)["units_reached"] == [None, 33]
    assert changes_of(event)["reached_in_market"] == [0, 33]


@pytest.mark.verifies("EVT-018")
def test_a_percentage_just_short_of_complete_is_not_shown_as_complete(cast, class_i_device):
    assert actions.percent(999, 1000) == 99
    assert actions.percent(0, 0) == 100


@pytest.mark.verifies("EVT-018", refusal=True)
def test_never_more_units_reached_than_affected(cast, class_i_device):
    fsca = started(cast, class_i_device)
    gb = fsca.markets.get()
    _reach(cast, fsca, gb, 450)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        _reach(cast, fsca, gb, 51)
    assert refused.value.fields == {"units_reached": "At most 50."}
    assert snapshot(fsca) == before and event_count() == count
    _reach(cast, fsca, gb, 50)
    assert actions.reach(fsca)[1:] == (500, 500)


@pytest.mark.verifies("EVT-018", refusal=True)
def test_units_affected_cannot_fall_below_the_units_reached(cast, class_i_device):
    fsca = started(cast, class_i_device)
    gb = fsca.markets.get()
    _reach(cast, fsca, gb, 300)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.set_market(
            actor=cast.qa_lead, fsca=fsca, market="gb", units_affected=299, users_affected=40
        )
    assert "units_affected" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-018")
def test_an_entry_is_dated_between_the_start_and_today(cast, class_i_device):
    fsca = started(cast, class_i_device)
    gb = fsca.markets.get()
    count = event_count()
    for day in (dt.date(2026, 3, 1), dt.date(2999, 1, 1)):
        with pytest.raises(InvalidInput) as refused:
            _reach(cast, fsca, gb, 1, on=day)
        assert "reached_on" in refused.value.fields
    assert event_count() == count


@pytest.mark.verifies("EVT-018")
def test_zero_units_or_another_fscas_market_are_refused(cast, class_i_device):
    fsca = started(cast, class_i_device)
    other = open_one(cast, class_i_device)
    count = event_count()
    with pytest.raises(InvalidInput):
        _reach(cast, fsca, fsca.markets.get(), 0)
    with pytest.raises(InvalidInput) as refused:
        _reach(cast, fsca, other.markets.get(), 1)
    assert "market" in refused.value.fields
    assert event_count() == count


@pytest.mark.verifies("EVT-018")
def test_units_are_reconciled_only_once_the_action_has_started(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    count = event_count()
    with pytest.raises(TransitionNotAllowed):
        _reach(cast, fsca, fsca.markets.get(), 1)
    assert event_count() == count
