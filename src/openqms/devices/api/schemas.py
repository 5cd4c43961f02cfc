"""What the device register's endpoints take and give."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class DeviceIn(Schema):
    family: str  # the family's code
    name: str
    model: str = ""
    intended_purpose: str
    device_class: str  # the class's code, e.g. "class_iia"
    classification_rule: str
    classification_justification: str
    gmdn_code: str = ""
    responsible_person: int | None = None
    lifetime_years: int | None = None


class DeviceEditIn(Schema):
    family: str | None = None
    name: str | None = None
    model: str | None = None
    intended_purpose: str | None = None
    device_class: str | None = None
    classification_rule: str | None = None
    classification_justification: str | None = None
    gmdn_code: str | None = None
    responsible_person: int | None = None
    lifetime_years: int | None = None
    reason: str = ""


class MarketOut(Schema):
    id: int
    market: str
    route: str
    body: str | None
    certificate: str | None
    recognised_until: dt.date | None


class UdiOut(Schema):
    id: int
    kind: str
    agency: str
    code: str
    description: str


class DeviceOut(Schema):
    id: int
    family: str
    name: str
    model: str
    intended_purpose: str
    device_class: str
    obligation: str
    classification_rule: str
    classification_justification: str
    gmdn_code: str
    responsible_person: str | None
    mhra_reference: str
    mhra_registered_on: dt.date | None
    registration_to_update: bool
    state: str
    first_placed_on: dt.date | None
    last_placed_on: dt.date | None
    support_ended_on: dt.date | None
    lifetime_years: int | None
    markets: list[MarketOut]
    udis: list[UdiOut]


class DevicePage(Schema):
    count: int
    items: list[DeviceOut]


class StepIn(Schema):
    on: dt.date | None = None
    reason: str = ""


class RegistrationIn(Schema):
    reference: str
    registered_on: dt.date


class MarketIn(Schema):
    market: str
    route: str
    body: int | None = None
    certificate: int | None = None
    recognition: str | None = None  # the CE regime's code, e.g. "eu_mdr"


class UdiIn(Schema):
    kind: str
    agency: str
    code: str
    description: str = ""


class ReasonIn(Schema):
    reason: str


class RecognitionOut(Schema):
    id: int
    code: str
    label: str
    until: dt.date


class RecognitionIn(Schema):
    until: dt.date
    reason: str


class ClassOut(Schema):
    code: str
    label: str
    ivd: bool
    psur_months: int | None
    pmsr_months: int | None
    obligation: str


class FiledOut(Schema):
    id: int
    document: str | None  # None: a document the caller may not open
    title: str
    revision_in_force: str | None


class SectionOut(Schema):
    code: str
    title: str
    clause: str
    complete: bool
    not_applicable: str | None  # the justification when marked
    documents: list[FiledOut]


class FileOut(Schema):
    family: str
    name: str
    complete_sections: int
    sections: list[SectionOut]


class FileDocumentIn(Schema):
    section: str
    document: str  # the document's number


class NotApplicableIn(Schema):
    justification: str
