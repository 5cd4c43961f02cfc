"""Shared setup of the PMS tests: a device placed on the market on a known day, a report
taken to "in preparation" with its document, and a fixed "now"."""

import datetime as dt

from django.utils import timezone

from openqms.devices import actions as devices
from openqms.devices.models import Market, Route
from openqms.events.actions import pms
from openqms.events.workdays import UK

from .conftest import effective_document


def placed(cast, device, on):
    """`device` on the GB market since `on`."""
    devices.add_market(actor=cast.qa_lead, device=device, market=Market.GB, route=Route.UKCA)
    devices.take_step(actor=cast.qa_lead, device=device, step="place", on=on)
    device.refresh_from_db()
    return device


def at(monkeypatch, when):
    """Make `timezone.now()` answer `when` (an aware datetime) everywhere."""
    monkeypatch.setattr(timezone, "now", lambda: when)


def uk_noon(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=UK)


def prepared(cast, report, title="RhythmCheck PSUR 2026"):
    """`report` in preparation, with an effective report document and conclusions."""
    report = pms.start_pms_report(actor=cast.qa_lead, report=report)
    document = effective_document(cast, title, doc_type="report")
    return pms.record_pms_report_details(
        actor=cast.qa_lead, report=report, document=document, conclusions="Benefit-risk stays."
    )
