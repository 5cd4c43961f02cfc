"""Reading the device register. Everyone holding a role reads it (ISO 13485 4.2.1); the
same 404 answers a missing record and, for someone with no role, any record."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.access import require_member
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.models import User
from openqms.devices.models import (
    CeRecognition,
    Device,
    DeviceMarket,
    DeviceUdi,
    FileEntry,
    FileSection,
)
from openqms.documents import access as documents_access
from openqms.documents.models import Document
from openqms.qms.models import DeviceFamily


def visible_devices(user: User) -> QuerySet[Device]:
    require_member(user)
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
    require_member(user)
    family = DeviceFamily.objects.filter(code=code).first()
    if family is None:
        raise NotFound()
    return family


NO_DOCUMENT = "There is no document with this number that you may open."


def get_document_to_file(user: User, number: str) -> Document:
    """The document to file, found through documents.access as the person sees it: a
    missing number and a document they may not open get the same refusal."""
    document = documents_access.visible_documents(user).filter(number=number).first()
    if document is None:
        raise InvalidInput(NO_DOCUMENT, fields={"document": "Unknown."})
    return document


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
