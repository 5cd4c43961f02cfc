"""What retention needs from the register (ISO 13485 4.2.5): the classes of its records,
and which devices a record concerns with their dates (core.modules.DeviceDates)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from openqms.core.modules import DeviceDates, RecordClass
from openqms.devices.models import Device, FileEntry

DEVICE, FILE, DOCUMENT = "devices.device", "devices.file", "documents.document"


def record_classes() -> Iterable[RecordClass]:
    # Technical documentation is kept at least 10 years after the last device was placed
    # on the market (UK MDR 2002 as it applies the MDD, Annex II 6.1; EU MDR Art. 10(8));
    # 10 is also the floor, so nobody configures less. Implantables need 15: raise it.
    yield RecordClass(
        code="devices.device",
        label="Device register entries",
        object_type=DEVICE,
        years=10,
        counted_from="last_placed",
        minimum_years=10,
    )
    yield RecordClass(
        code="devices.file",
        label="Medical device files",
        object_type=FILE,
        years=10,
        counted_from="last_placed",
        minimum_years=10,
        model="qms.DeviceFamily",  # a family's file: its id is the family's
    )


def dates_of(device: Device) -> DeviceDates:
    return DeviceDates(
        device=str(device),
        released=device.first_placed_on,
        last_placed=device.last_placed_on,
        support_ended=device.support_ended_on,
        lifetime_years=device.lifetime_years,
    )


def _by_family(family_ids: Iterable[int]) -> dict[int, list[DeviceDates]]:
    found: dict[int, list[DeviceDates]] = {}
    for device in Device.objects.filter(family_id__in=set(family_ids)).order_by("pk"):
        found.setdefault(device.family_id, []).append(dates_of(device))
    return found


def device_dates(object_type: str, ids: Sequence[str]) -> Mapping[str, Sequence[DeviceDates]]:
    """The devices each record concerns: a device itself; a medical device file's and
    the documents ever filed in it (removed entries too: they were part of the technical
    documentation), the family's devices. Two queries at most, however many ids."""
    numbers = [int(i) for i in ids if i.isdigit() and len(i) < 19]
    if not numbers:
        return {}
    if object_type == DEVICE:
        return {str(d.pk): [dates_of(d)] for d in Device.objects.filter(pk__in=numbers)}
    if object_type == FILE:
        families = _by_family(numbers)
        return {str(pk): families[pk] for pk in numbers if pk in families}
    if object_type == DOCUMENT:
        pairs = set(
            FileEntry.objects.filter(document_id__in=numbers).values_list(
                "document_id", "family_id"
            )
        )
        families = _by_family(family for _, family in pairs)
        found: dict[str, list[DeviceDates]] = {}
        for document_id, family_id in sorted(pairs):
            found.setdefault(str(document_id), []).extend(families.get(family_id, []))
        return {k: v for k, v in found.items() if v}
    return {}
