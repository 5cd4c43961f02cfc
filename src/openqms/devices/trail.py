"""What the audit trail calls the register's records ("Device RhythmCheck 2.1", "Medical
device file HR-SW"): every signed-in person reads the register, so every viewer reads
their events. A constant number of queries per call."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import ids_of
from openqms.devices.models import CeRecognition, Device
from openqms.qms.models import DeviceFamily

DEVICE, FILE, RECOGNITION = "devices.device", "devices.file", "devices.cerecognition"


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    for device in Device.objects.filter(pk__in=ids_of(keys, DEVICE)):
        url = reverse("devices:device", args=[device.pk])
        found[(DEVICE, str(device.pk))] = RecordRef(f"Device {device}", url)
    for family in DeviceFamily.objects.filter(pk__in=ids_of(keys, FILE)):
        url = reverse("devices:family", args=[family.code]) + "#file"
        found[(FILE, str(family.pk))] = RecordRef(f"Medical device file {family.code}", url)
    for row in CeRecognition.objects.filter(pk__in=ids_of(keys, RECOGNITION)):
        url = reverse("devices:recognitions")
        found[(RECOGNITION, str(row.pk))] = RecordRef(f"CE recognition: {row.label}", url)
    return found
