"""Sales and exposure figures: entered per device and period, audited; overlapping
figures of the same market refused; withdrawn with a reason, never deleted."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import trends as actions
from openqms.events.models import ExposureFigure
from openqms.testing import changes_of, event_count, last_event

D = dt.date


def enter(cast, device, start=D(2026, 1, 1), end=D(2026, 1, 31), actor=None, **fields):
    data = {"units_sold": 500, "market": "GB"} | fields
    return actions.enter_exposure_figure(
        actor=actor or cast.qa_lead, device=device, period_start=start, period_end=end, **data
    )


@pytest.mark.verifies("EVT-019")
def test_qa_lead_enters_a_figure_and_the_trail_records_it(cast, device):
    figure = enter(cast, device, units_in_use=450, note="Sales report")
    assert (figure.units_sold, figure.units_in_use, figure.market) == (500, 450, "GB")
    event = last_event()
    assert event.action == "events.exposure.entered"
    assert event.object_type == "events.exposurefigure"
    assert event.object_id == str(figure.pk)
    assert changes_of(event) == {
        "device": [None, str(device)],
        "period_start": [None, "2026-01-01"],
        "period_end": [None, "2026-01-31"],
        "units_sold": [None, 500],
        "units_in_use": [None, 450],
        "market": [None, "GB"],
        "note": [None, "Sales report"],
    }


@pytest.mark.verifies("EVT-019")
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": D(2026, 2, 1), "end": D(2026, 1, 1)}, "period_end"),
        ({"units_sold": -1}, "units_sold"),
        ({"units_sold": "many"}, "units_sold"),
        ({"units_in_use": -5}, "units_in_use"),
        ({"start": ""}, "period_start"),
        ({"market": "TOOLONG"}, "market"),
    ],
)
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_written(
    cast, device, fields, field
):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        enter(cast, device, **fields)
    assert field in refused.value.fields
    assert ExposureFigure.objects.count() == 0
    assert event_count() == before


@pytest.mark.verifies("EVT-019")
def test_an_overlapping_figure_of_the_same_market_is_refused(cast, device):
    enter(cast, device)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        enter(cast, device, start=D(2026, 1, 15), end=D(2026, 2, 14))
    assert "already covers 01 Jan 2026 to 31 Jan 2026" in refused.value.message
    assert "period_start" in refused.value.fields
    assert ExposureFigure.objects.count() == 1
    assert event_count() == before


@pytest.mark.verifies("EVT-019")
def test_a_figure_for_all_markets_overlaps_every_market(cast, device):
    enter(cast, device, market="")
    with pytest.raises(InvalidInput):
        enter(cast, device, market="EU")


@pytest.mark.verifies("EVT-019")
def test_figures_of_other_markets_or_devices_may_share_a_period(cast, device, class_i_device):
    enter(cast, device, market="GB")
    enter(cast, device, market="eu")
    enter(cast, class_i_device, market="GB")
    assert sorted(ExposureFigure.objects.values_list("market", flat=True)) == ["EU", "GB", "GB"]


@pytest.mark.verifies("EVT-019")
def test_someone_without_the_right_cannot_enter_figures(cast, device):
    before = event_count()
    with pytest.raises(PermissionRefused):
        enter(cast, device, actor=cast.author)
    assert ExposureFigure.objects.count() == 0
    assert event_count() == before


@pytest.mark.verifies("EVT-019")
def test_a_withdrawn_figure_keeps_its_reason_and_no_longer_blocks_its_period(cast, device):
    figure = enter(cast, device)
    actions.withdraw_exposure_figure(actor=cast.qa_lead, figure=figure, reason="Double count")
    figure.refresh_from_db()
    assert figure.withdrawn_reason == "Double count"
    event = last_event()
    assert (event.action, event.reason) == ("events.exposure.withdrawn", "Double count")
    assert changes_of(event) == {"withdrawn_at": [None, figure.withdrawn_at.isoformat()]}
    enter(cast, device, units_sold=600)
    assert ExposureFigure.objects.count() == 2


@pytest.mark.verifies("EVT-019")
def test_withdrawing_needs_a_reason_and_happens_once(cast, device):
    figure = enter(cast, device)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.withdraw_exposure_figure(actor=cast.qa_lead, figure=figure, reason=" ")
    assert "reason" in refused.value.fields
    actions.withdraw_exposure_figure(actor=cast.qa_lead, figure=figure, reason="Wrong")
    after = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.withdraw_exposure_figure(actor=cast.qa_lead, figure=figure, reason="Again")
    assert after == before + 1 == event_count()
