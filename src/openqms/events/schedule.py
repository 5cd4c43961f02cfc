"""When a device's periodic PMS reports fall due, from its GB class (UK MDR 2002 Part 4A):
a PSUR every `psur_months` (Class IIa 24, IIb and III 12), or a PMSR at least every
`pmsr_months` (Class I 36) — DeviceClass rows, so a change is data.

The first report's period starts on the device's first placing on the market; each next
report's period starts where the last one's ended. A period lasts the class's months and
the report is due when it ends (so a report is due at most the class's months after the
previous one's period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput
from openqms.devices.models import Device
from openqms.events.models import PmsReport, PmsReportType


@dataclass(frozen=True)
class Period:
    report_type: str
    start: dt.date
    end: dt.date  # exclusive: the next period starts here; the report is due on it

    @property
    def due_on(self) -> dt.date:
        return self.end


def obligation(device: Device) -> tuple[str, int] | None:
    """(report type, months) the device's class asks for, None when it asks for none."""
    device_class = device.device_class
    if device_class.psur_months:
        return PmsReportType.PSUR, device_class.psur_months
    if device_class.pmsr_months:
        return PmsReportType.PMSR, device_class.pmsr_months
    return None


def next_period(device: Device, *, start: dt.date | None = None) -> Period:
    """The period of the device's next report; InvalidInput when none can be set.
    `start` overrides the first placing for a first report (actions check when)."""
    rule = obligation(device)
    if rule is None:
        raise InvalidInput(
            f"The class of {device} ({device.device_class}) asks for no periodic PMS report.",
            fields={"device": "No periodic report for this class."},
        )
    report_type, months = rule
    last = PmsReport.objects.filter(device=device).order_by("-period_end").first()
    start = last.period_end if last else (start or device.first_placed_on)
    if start is None:
        raise InvalidInput(
            f"{device} has no date of first placing on the market; record it on the device "
            "first (the first report's period starts then).",
            fields={"device": "No first placing on the market."},
        )
    return Period(report_type, start, months_later(start, months))
