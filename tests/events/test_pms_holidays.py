"""Bank holidays are configuration rows: seeded from the holidays package by a command,
added, renamed and removed on a page by who configures quality events, each audited."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events.actions import pms
from openqms.events.models import BankHoliday
from openqms.testing import changes_of, event_count, last_event

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("EVT-024")
def test_the_command_seeds_this_year_to_five_years_on_once(cast, capsys):
    call_command("events", "holidays", "--seed")
    year = timezone.localdate().year
    years = {d.year for d in BankHoliday.objects.values_list("date", flat=True)}
    assert years == set(range(year, year + 6))
    assert last_event().action == "events.holiday.seeded"
    before = event_count()
    call_command("events", "holidays", "--seed")
    assert event_count() == before
    assert "0 added" in capsys.readouterr().out


@pytest.mark.verifies("EVT-024")
def test_a_holiday_is_added_then_renamed_with_an_audit_event_each(cast):
    pms.set_bank_holiday(actor=cast.qa_lead, day="2027-06-07", name="Jubilee")
    assert changes_of(last_event()) == {"date": "2027-06-07", "name": [None, "Jubilee"]}
    pms.set_bank_holiday(actor=cast.qa_lead, day="2027-06-07", name="Platinum Jubilee")
    assert changes_of(last_event()) == {
        "date": "2027-06-07",
        "name": ["Jubilee", "Platinum Jubilee"],
    }
    assert BankHoliday.objects.get().name == "Platinum Jubilee"


@pytest.mark.verifies("EVT-024")
def test_a_holiday_is_removed_with_a_reason(cast):
    holiday = pms.set_bank_holiday(actor=cast.qa_lead, day="2027-06-07", name="Jubilee")
    pms.remove_bank_holiday(actor=cast.qa_lead, holiday=holiday, reason="Not proclaimed")
    event = last_event()
    assert (event.action, event.reason) == ("events.holiday.removed", "Not proclaimed")
    assert not BankHoliday.objects.exists()


@pytest.mark.verifies("EVT-024")
def test_a_holiday_without_a_date_is_refused_naming_the_field(cast):
    before = event_count()
    with pytest.raises(InvalidInput) as refusal:
        pms.set_bank_holiday(actor=cast.qa_lead, day="", name="Jubilee")
    assert "date" in refusal.value.fields and event_count() == before


@pytest.mark.verifies("EVT-024")
@pytest.mark.parametrize("who", ["author", "auditor", "manager"])
def test_only_who_configures_quality_events_changes_the_holidays(cast, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        pms.set_bank_holiday(actor=getattr(cast, who), day="2027-06-07", name="Jubilee")
    assert event_count() == before and not BankHoliday.objects.exists()


@pytest.mark.verifies("EVT-024")
def test_the_holidays_page_adds_one_and_shows_it(client, cast):
    client.force_login(cast.qa_lead)
    url = reverse("events:bank-holidays")
    day = dt.date(timezone.localdate().year, 12, 30)
    response = client.post(url, {"date": day.isoformat(), "name": "Extra day"})
    assert response.status_code == 302
    assert "Extra day" in client.get(url).content.decode()


@pytest.mark.verifies("EVT-024")
def test_the_holidays_page_keeps_what_was_typed_when_refused(client, cast):
    client.force_login(cast.qa_lead)
    response = client.post(reverse("events:bank-holidays"), {"date": "not a date", "name": "X"})
    assert response.status_code == 200
    assert 'value="X"' in response.content.decode() and not BankHoliday.objects.exists()


@pytest.mark.verifies("EVT-024")
def test_someone_without_the_right_cannot_post_to_the_holidays_page(client, cast):
    client.force_login(cast.author)
    response = client.post(reverse("events:bank-holidays"), {"date": "2027-06-07", "name": "X"})
    assert response.status_code == 404 and not BankHoliday.objects.exists()
