"""Reading the device register. Every signed-in person reads it (ISO 13485 4.2.1); the
same 404 answers a missing record and, for someone not signed in, any record."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.devices.models import (
    CeRecognition,
    Device,
    DeviceMarket,
    DeviceUdi,
    FileEntry,
    FileSection,
)
from openqms.qms.models import DeviceFamily


def _reader(user: User) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound()


def visible_devices(user: User) -> QuerySet[Device]:
    return Device.objects.visible_to(user)


def get_device_for_user(user: User, pk: int) -> Device:
    device = (
        visible_devices(user)
        .select_related("family", "device_class", "responsible_person")
        .filter(pk=pk)
        .first()
    )
    if device is None:
        raise NotFound()
    return device


def get_family_for_user(user: User, code: str) -> DeviceFamily:
    _reader(user)
    family = DeviceFamily.objects.filter(code=code).first()
    if family is None:
        raise NotFound()
    return family


def get_section(code: str) -> FileSection:
    section = FileSection.objects.filter(code=code).first()
    if section is None:
        raise NotFound()
    return section


def get_entry(family: DeviceFamily, pk: int) -> FileEntry:
    entry = FileEntry.objects.filter(family=family, pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def get_market(device: Device, pk: int) -> DeviceMarket:
    row = DeviceMarket.objects.filter(device=device, pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def get_udi(device: Device, pk: int) -> DeviceUdi:
    row = DeviceUdi.objects.filter(device=device, pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def get_recognition(pk: int) -> CeRecognition:
    row = CeRecognition.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row
