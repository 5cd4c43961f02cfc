"""Retention of quality records (ISO 13485 4.2.5) and which devices they concern.

Complaints, vigilance and PMS records are kept for 15 years after they close (never
under 10: the technical documentation's period under UK MDR 2002), and core's floor
keeps any record that concerns a device for the device's lifetime and two years from
its release. Complaints and incident reports hold health data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.apps import apps

from openqms.core.modules import DeviceDates, RecordClass
from openqms.devices.models import Device
from openqms.devices.retention import dates_of
from openqms.events.kinds import KINDS

HEALTH = {"complaint", "incident_report"}


def _model(code: str):
    return apps.get_model(KINDS[code].model)


def _installed(code: str) -> bool:
    label, name = KINDS[code].model.split(".")
    try:
        apps.get_model(label, name)
    except LookupError:
        return False
    return True


def _closed(code: str):
    def closed(ids: Sequence[str]) -> Mapping[str, object]:
        numbers = [int(i) for i in ids if i.isdigit() and len(i) < 19]
        rows = _model(code).objects.filter(pk__in=numbers).values_list("pk", "closed_at")
        return {str(pk): (at.date() if at else None) for pk, at in rows}

    return closed


def object_type(code: str) -> str:
    return KINDS[code].model.lower()


def record_classes() -> Iterable[RecordClass]:
    for code, kind in KINDS.items():
        if not _installed(code):
            continue
        yield RecordClass(
            code=f"events.{code}",
            label=kind.plural,
            object_type=object_type(code),
            years=15,
            counted_from="closed",
            minimum_years=10,
            confidentiality="health" if code in HEALTH else "internal",
            closed=_closed(code),
        )


def device_dates(object_type_: str, ids: Sequence[str]) -> Mapping[str, Sequence[DeviceDates]]:
    """The device a quality record concerns (its `device`), one query per call."""
    code = next((c for c in KINDS if object_type(c) == object_type_), None)
    if code is None or not _installed(code):
        return {}
    numbers = [int(i) for i in ids if i.isdigit() and len(i) < 19]
    pairs = dict(
        _model(code)
        .objects.filter(pk__in=numbers, device__isnull=False)
        .values_list("pk", "device_id")
    )
    devices = {d.pk: d for d in Device.objects.filter(pk__in=set(pairs.values()))}
    return {str(pk): [dates_of(devices[d])] for pk, d in pairs.items()}
