"""The PMS part of the demo story (Halden Health Ltd): both devices' PMS plans as
controlled documents in force, RhythmCheck's PSUR due next month (its last PSUR, made
before OpenQMS, covered up to 23 months ago) and one MHRA request answered within 3
working days. Idempotent; skips what other demo steps did not make."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.dates import months_later
from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import User
from openqms.devices.models import Device
from openqms.documents.demo import document_in_force
from openqms.documents.models import Document
from openqms.events.actions import pms
from openqms.events.models import BankHoliday, MhraRequest, PmsPlan, PmsReport
from openqms.events.workdays import UK

PLANS = {
    ("RhythmCheck", "2.1"): "RhythmCheck PMS plan",
    ("RhythmCheck patch applicator", "A1"): "Patch applicator PMS plan",
}
PLAN_BODY = (
    "## Scope\n\nPost-market surveillance of {device} (UK MDR 2002 Part 4A).\n\n"
    "## Data collected\n\nComplaints and feedback, incident reports, FSCAs, trend "
    "reports, nonconformities, CAPAs, sales figures per month, literature.\n\n"
    "## Trend method\n\nNon-serious incidents per 1,000 units in use, per month.\n"
)


def _people() -> dict[str, User] | None:
    names = ["qa", "author", "reviewer", "approver"]
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return found if len(found) == len(names) else None


def _plan(people: dict[str, User], title: str, device: Device) -> Document:
    """A controlled plan in force (author → reviewer → approver)."""
    return document_in_force(
        people=people,
        doc_type="plan",
        title=title,
        body=PLAN_BODY.format(device=device),
        clauses=["8.2.1"],
        reason="PMS plan required by UK MDR 2002 Part 4A",
        password=DEMO_PASSWORD,
    )


def run() -> None:
    people = _people()
    if people is None or PmsPlan.objects.exists():
        return
    qa = people["qa"]
    if not BankHoliday.objects.exists():
        year = timezone.localdate().year
        pms.seed_bank_holidays(actor=qa, years=range(year - 1, year + 6))
    devices = {}
    for (name, model), title in PLANS.items():
        device = Device.objects.filter(name=name, model=model).first()
        if device is None:
            continue
        devices[name] = device
        pms.link_pms_plan(actor=qa, device=device, document=_plan(people, title, device))
    software = devices.get("RhythmCheck")
    if software is None:
        return
    today = timezone.localdate()
    last_ended = months_later(today, -23)  # the last PSUR, made before OpenQMS
    if not PmsReport.objects.filter(device=software).exists():
        pms.schedule_pms_report(actor=qa, device=software, start=last_ended)
    if not MhraRequest.objects.exists():
        received = dt.datetime.combine(today - dt.timedelta(days=20), dt.time(10, 15), tzinfo=UK)
        request = pms.record_mhra_request(
            actor=qa,
            device=software,
            title="MHRA asks for the RhythmCheck PMS plan and latest PSUR",
            received_at=received,
            asked="Please send the current PMS plan and the latest PSUR for RhythmCheck 2.1.",
            mhra_reference="MHRA-PMS-2026-0113",
        )
        pms.answer_mhra_request(
            actor=qa,
            request=request,
            answered_at=received + dt.timedelta(days=1, hours=4),
            sent="PMS plan (controlled copy, in force) and the PMS pack exported from OpenQMS.",
        )
