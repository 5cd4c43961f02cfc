"""Demo (order 28, after the families and the frame's bodies and certificates): the maker's
two devices and the medical device file of its software, filled in part (so the file
shows what is still missing)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.models import User
from openqms.devices import actions
from openqms.devices.models import Device, DeviceClass, FileSection, Market, Route
from openqms.documents.models import Document
from openqms.qms.models import ApprovedBody, BodyKind, Certificate, DeviceFamily, ResponsiblePerson

# Which demo documents serve which section of HR-SW's file (documents/demo.py). Only a
# document that fits its section is filed: the demo has no device description or
# monitoring procedure, so those sections stay empty (the file shows them missing).
FILED = [
    ("manufacturing", "Release of a software version"),
]


def seed_devices() -> None:
    qa = User.objects.filter(username="qa").first()
    families = {f.code: f for f in DeviceFamily.objects.filter(code__in=["HR-SW", "HR-ACC"])}
    if qa is None or len(families) < 2 or Device.objects.exists():
        return
    classes = {c.code: c for c in DeviceClass.objects.all()}
    body = ApprovedBody.objects.filter(kind=BodyKind.UK_APPROVED, retired_at=None).first()
    certificate = Certificate.objects.filter(kind="ukca", retired_at=None).first()
    rp = ResponsiblePerson.objects.filter(retired_at=None).first()
    today = timezone.localdate()
    software = actions.create_device(
        actor=qa,
        family=families["HR-SW"],
        name="RhythmCheck",
        model="2.1",
        intended_purpose="Standalone software that analyses single-lead ECG recordings from a "
        "wearable patch and flags suspected atrial fibrillation for review by a clinician.",
        device_class=classes["class_iia"],
        classification_rule="Rule 11",
        classification_justification="Software providing information used to take decisions "
        "with diagnosis purposes (UK MDR 2002 Annex IX as applied, Rule 11): Class IIa.",
        gmdn_code="58264",
        responsible_person=rp,
        lifetime_years=5,
    )
    actions.add_market(
        actor=qa,
        device=software,
        market=Market.GB,
        route=Route.UKCA,
        body=body,
        certificate=certificate,
    )
    actions.add_udi(actor=qa, device=software, kind="basic", agency="gs1", code="50601234RC21A7")
    actions.add_udi(actor=qa, device=software, kind="di", agency="gs1", code="05060123450019")
    actions.take_step(actor=qa, device=software, step="place", on=today - dt.timedelta(days=400))
    actions.record_registration(
        actor=qa,
        device=software,
        reference="GB-MF-000012345/RC-21",
        registered_on=today - dt.timedelta(days=410),
    )
    patch = actions.create_device(
        actor=qa,
        family=families["HR-ACC"],
        name="RhythmCheck patch applicator",
        model="A1",
        intended_purpose="Non-invasive accessory used to place the ECG patch on intact skin.",
        device_class=classes["class_i"],
        classification_rule="Rule 1",
        classification_justification="Non-invasive device not in contact with injured skin "
        "(Rule 1): Class I, self-declared.",
        gmdn_code="47527",
        responsible_person=rp,
        lifetime_years=3,
    )
    actions.add_market(actor=qa, device=patch, market=Market.GB, route=Route.UKCA)
    actions.add_udi(actor=qa, device=patch, kind="basic", agency="gs1", code="50601234PAA1K9")
    actions.add_udi(actor=qa, device=patch, kind="di", agency="gs1", code="05060123450026")
    actions.take_step(actor=qa, device=patch, step="place", on=today - dt.timedelta(days=380))
    actions.record_registration(
        actor=qa,
        device=patch,
        reference="GB-MF-000012345/PA-1",
        registered_on=today - dt.timedelta(days=390),
    )
    # The intended purpose was widened since: the registration is now to update.
    actions.edit_device(
        actor=qa,
        device=software,
        intended_purpose=software.intended_purpose.replace(
            "atrial fibrillation", "atrial fibrillation and atrial flutter"
        ),
        reason="Atrial flutter detection validated (release 2.1)",
    )
    _file(qa, families["HR-SW"])


def _file(qa: User, family: DeviceFamily) -> None:
    sections = {s.code: s for s in FileSection.objects.all()}
    for code, title in FILED:
        document = Document.objects.filter(title=title).first()
        if document is not None and code in sections:
            actions.add_file_document(
                actor=qa, family=family, section=sections[code], document=document
            )
    if "packaging" in sections:
        actions.mark_not_applicable(
            actor=qa,
            family=family,
            section=sections["packaging"],
            justification="Software distributed by download: nothing is packed, stored or shipped.",
        )
