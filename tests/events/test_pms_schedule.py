"""Periodic reports are scheduled from the device's class: a PSUR every 24 months for
Class IIa and 12 for IIb/III, a PMSR every 36 months for Class I; the first period starts
on the first placing on the market, each next one where the last ended."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.devices.models import DeviceClass
from openqms.events.actions import pms
from openqms.events.models import PmsReport
from openqms.testing import changes_of, event_count, last_event

from .conftest import SIGN, make_device
from .pms_helpers import placed, prepared

pytestmark = pytest.mark.django_db
PLACED = dt.date(2025, 3, 10)


@pytest.mark.verifies("EVT-022")
def test_a_class_iia_device_needs_a_psur_24_months_after_its_first_placing(cast, device):
    placed(cast, device, PLACED)
    report = pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    assert (report.report_type, report.period_start, report.period_end, report.due_on) == (
        "psur",
        PLACED,
        dt.date(2027, 3, 10),
        dt.date(2027, 3, 10),
    )
    assert report.number.startswith("PMS-") and report.state == "scheduled"
    event = last_event()
    assert event.action == "events.pms_report.scheduled"
    assert changes_of(event) == {
        "report_type": [None, "psur"],
        "period_start": [None, "2025-03-10"],
        "period_end": [None, "2027-03-10"],
        "due_on": [None, "2027-03-10"],
    }


@pytest.mark.verifies("EVT-022")
@pytest.mark.parametrize("code,months", [("class_iib", 12), ("class_iii", 12)])
def test_class_iib_and_iii_devices_need_a_psur_every_year(cast, family, code, months):
    device = make_device(
        cast, family, name=f"Device {code}", device_class=DeviceClass.objects.get(code=code)
    )
    placed(cast, device, PLACED)
    report = pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    assert (report.report_type, report.due_on) == ("psur", dt.date(2026, 3, 10))


@pytest.mark.verifies("EVT-022")
def test_a_class_i_device_needs_a_pmsr_at_least_every_3_years(cast, class_i_device):
    placed(cast, class_i_device, PLACED)
    report = pms.schedule_pms_report(actor=cast.qa_lead, device=class_i_device)
    assert (report.report_type, report.due_on) == ("pmsr", dt.date(2028, 3, 10))


@pytest.mark.verifies("EVT-022")
def test_the_next_period_starts_where_the_last_one_ended(cast, device):
    placed(cast, device, PLACED)
    first = prepared(cast, pms.schedule_pms_report(actor=cast.qa_lead, device=device))
    pms.complete_pms_report(actor=cast.qa_lead, report=first, credentials=SIGN)
    second = pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    assert (second.period_start, second.due_on) == (dt.date(2027, 3, 10), dt.date(2029, 3, 10))


@pytest.mark.verifies("EVT-022")
def test_a_first_report_may_start_where_a_report_made_before_openqms_ended(cast, device):
    placed(cast, device, PLACED)
    report = pms.schedule_pms_report(actor=cast.qa_lead, device=device, start="2025-01-01")
    assert (report.period_start, report.due_on) == (dt.date(2025, 1, 1), dt.date(2027, 1, 1))


@pytest.mark.verifies("EVT-022")
def test_a_device_never_placed_on_the_market_cannot_be_scheduled(cast, device):
    before = event_count()
    with pytest.raises(InvalidInput, match="first placing") as refusal:
        pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    assert "device" in refusal.value.fields
    assert event_count() == before and not PmsReport.objects.exists()


@pytest.mark.verifies("EVT-022")
def test_a_second_report_waits_until_the_open_one_is_completed(cast, device):
    placed(cast, device, PLACED)
    pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not yet completed"):
        pms.schedule_pms_report(actor=cast.qa_lead, device=device)
    assert event_count() == before and PmsReport.objects.count() == 1


@pytest.mark.verifies("EVT-022")
def test_a_start_date_is_refused_once_the_device_has_a_report(cast, device):
    placed(cast, device, PLACED)
    first = prepared(cast, pms.schedule_pms_report(actor=cast.qa_lead, device=device))
    pms.complete_pms_report(actor=cast.qa_lead, report=first, credentials=SIGN)
    before = event_count()
    with pytest.raises(InvalidInput, match="first report"):
        pms.schedule_pms_report(actor=cast.qa_lead, device=device, start="2026-01-01")
    assert event_count() == before


@pytest.mark.verifies("EVT-022")
@pytest.mark.parametrize("who", ["trainee", "auditor", "author"])
def test_only_those_who_handle_quality_events_schedule_reports(cast, device, who):
    placed(cast, device, PLACED)
    before = event_count()
    with pytest.raises(PermissionRefused):
        pms.schedule_pms_report(actor=getattr(cast, who), device=device)
    assert event_count() == before and not PmsReport.objects.exists()
