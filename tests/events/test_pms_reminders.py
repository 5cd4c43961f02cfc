"""Reminder emails for periodic reports: 60, 30 and 7 days before the due date and once
when overdue, each sent once however often the job runs."""

import datetime as dt

import pytest
from django.core import mail as outbox

from openqms.core import mail
from openqms.events.actions import pms
from openqms.events.jobs import pms as reminders
from openqms.events.models import PmsReminder

from .conftest import SIGN
from .pms_helpers import at, placed, prepared, uk_noon

pytestmark = pytest.mark.django_db
DUE = dt.date(2027, 3, 10)


@pytest.fixture
def report(cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    return pms.schedule_pms_report(actor=cast.qa_lead, device=device)


@pytest.mark.verifies("EVT-042")
@pytest.mark.parametrize(
    "today,window",
    [
        (DUE - dt.timedelta(days=61), None),
        (DUE - dt.timedelta(days=60), "60d"),
        (DUE - dt.timedelta(days=31), "60d"),
        (DUE - dt.timedelta(days=30), "30d"),
        (DUE - dt.timedelta(days=7), "7d"),
        (DUE, "7d"),
        (DUE + dt.timedelta(days=1), "overdue"),
    ],
)
def test_the_reminder_window_follows_the_days_left(today, window):
    assert reminders.window(DUE, today) == window


@pytest.mark.verifies("EVT-042")
def test_each_reminder_is_sent_once(cast, report, monkeypatch):
    at(monkeypatch, uk_noon(DUE - dt.timedelta(days=45)))
    assert reminders.send_reminders() == "1 PMS report reminder(s) queued"
    assert reminders.send_reminders() == "0 PMS report reminder(s) queued"
    at(monkeypatch, uk_noon(DUE - dt.timedelta(days=20)))
    assert reminders.send_reminders() == "1 PMS report reminder(s) queued"
    at(monkeypatch, uk_noon(DUE + dt.timedelta(days=3)))
    reminders.send_reminders()
    reminders.send_reminders()
    windows = sorted(PmsReminder.objects.values_list("window", flat=True))
    assert windows == ["30d", "60d", "overdue"]


@pytest.mark.verifies("EVT-042")
def test_the_reminder_goes_to_those_who_handle_quality_events(cast, report, monkeypatch):
    at(monkeypatch, uk_noon(DUE + dt.timedelta(days=1)))
    reminders.send_reminders()
    mail.send_queued()
    sent = [m for m in outbox.outbox if report.number in m.subject]
    assert len(sent) == 1 and "overdue" in sent[0].subject
    assert cast.qa_lead.email in sent[0].to and cast.author.email not in sent[0].to


@pytest.mark.verifies("EVT-042")
def test_a_completed_report_gets_no_reminder(cast, report, monkeypatch):
    pms.complete_pms_report(actor=cast.qa_lead, report=prepared(cast, report), credentials=SIGN)
    at(monkeypatch, uk_noon(DUE + dt.timedelta(days=1)))
    assert reminders.send_reminders() == "0 PMS report reminder(s) queued"
