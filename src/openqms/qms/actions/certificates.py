"""Certificates the organisation holds (ISO 13485 certificate, UKCA/CE/UKNI conformity
certificates; UK MDR 2002): added, edited (old and new values in the trail) and
withdrawn with a reason, never deleted. The certificate's scanned copy is a PDF kept in
core's content-addressed file store, as documents keep their originals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import StoredFile, User
from openqms.core.text import clean_text
from openqms.qms.models import ApprovedBody, BodyKind, Certificate, CertificateKind, DeviceFamily
from openqms.qms.registry import CERTIFICATION

PDF_MAGIC = b"%PDF-"


@dataclass
class CertificateData:
    """What a person types for a certificate (the page's form and the API's body)."""

    kind: str
    number: str
    body: ApprovedBody | None  # None: `new_body` names it (found by name, or recorded)
    scope_text: str
    issued_on: dt.date
    expires_on: dt.date
    next_surveillance: dt.date | None = None
    recertification_due: dt.date | None = None
    families: Iterable[DeviceFamily] = field(default_factory=list)
    new_body: str = ""
    new_body_kind: str = BodyKind.UK_APPROVED


def _checked(data: CertificateData, *, certificate: Certificate | None) -> CertificateData:
    if data.kind not in CertificateKind.values:
        raise InvalidInput("Choose the kind of certificate.", fields={"kind": "Unknown kind."})
    data.number = clean_text(data.number, "number", limit=100)
    data.scope_text = clean_text(data.scope_text, "scope_text", limit=5000)
    data.families = list(data.families)
    held = set(certificate.families.values_list("pk", flat=True)) if certificate else set()
    if any(f.retired and f.pk not in held for f in data.families):
        raise InvalidInput(
            "A retired device family cannot be added to a certificate.",
            fields={"families": "Retired family."},
        )
    if data.body is None:
        data.new_body = clean_text(data.new_body, "new_body")
        if data.new_body_kind not in BodyKind.values:
            raise InvalidInput("Choose the kind of body.", fields={"new_body_kind": "Unknown."})
        found = ApprovedBody.objects.filter(name=data.new_body, retired_at__isnull=True).first()
        if found is None:  # recorded with the certificate, in its transaction
            _check_dates(data)
            return data
        data.body = found
    if data.body.retired and (certificate is None or certificate.body_id != data.body.pk):
        raise InvalidInput(
            f"{data.body} is retired; choose a current body.", fields={"body": "Retired."}
        )
    _check_dates(data)
    taken = Certificate.objects.filter(body=data.body, number=data.number)
    if certificate is not None:
        taken = taken.exclude(pk=certificate.pk)
    if taken.exists():
        raise InvalidInput(
            f"{data.body} already has a certificate numbered “{data.number}”.",
            fields={"number": "Already recorded for this body."},
        )
    return data


def _check_dates(data: CertificateData) -> None:
    if data.expires_on <= data.issued_on:
        raise InvalidInput(
            "The expiry date must come after the issue date.",
            fields={"expires_on": "Must be after the issue date."},
        )
    for name, label in DUE_DATES:
        day = getattr(data, name)
        if day is not None and day < data.issued_on:
            raise InvalidInput(
                f"The {label} date cannot come before the issue date.",
                fields={name: "Before the issue date."},
            )
        if day is not None and day > data.expires_on:
            raise InvalidInput(
                f"The {label} date cannot come after the expiry date: the certificate "
                "lapses before then.",
                fields={name: "After the expiry date."},
            )


# The dates a certificate's body sets within its validity: not before it is issued, not
# after it expires.
DUE_DATES = (("next_surveillance", "next surveillance"), ("recertification_due", "recertification"))


def store_pdf(content: IO[bytes] | None) -> StoredFile | None:
    """Keep the certificate's PDF (outside the transaction: it may be large); refuse an
    empty file, one over the size limit, or one that is not a PDF."""
    if content is None:
        return None
    head = content.read(len(PDF_MAGIC))
    if not head:
        raise InvalidInput("The file is empty.", fields={"file": "Empty file."})
    if head != PDF_MAGIC:
        raise InvalidInput(
            "The certificate's file must be a PDF.", fields={"file": "Not a PDF file."}
        )
    content.seek(0)
    return files.store(content)


def _values(c: Certificate, families: Iterable[DeviceFamily]) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "number": c.number,
        "body": str(c.body),
        "scope_text": c.scope_text,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "next_surveillance": c.next_surveillance,
        "recertification_due": c.recertification_due,
        "families": sorted(f.code for f in families),
        "file_sha256": c.file.sha256 if c.file else None,
    }


def _fill(actor: User, c: Certificate, data: CertificateData) -> None:
    if data.body is None:
        data.body = _body(actor, name=data.new_body, kind=data.new_body_kind)
    c.kind, c.number, c.body, c.scope_text = data.kind, data.number, data.body, data.scope_text
    c.issued_on, c.expires_on = data.issued_on, data.expires_on
    c.next_surveillance, c.recertification_due = data.next_surveillance, data.recertification_due


def add_certificate(
    *, actor: User, data: CertificateData, file: IO[bytes] | None = None
) -> Certificate:
    require(actor, CERTIFICATION)
    data = _checked(data, certificate=None)  # refuse before storing anything
    # Stored outside the transaction (it may be large): a refusal by the re-check under
    # the lock leaves the StoredFile unreferenced, as documents' uploads do.
    stored = store_pdf(file)
    with audit.writing():
        data = _checked(data, certificate=None)  # again, under the lock
        certificate = Certificate(created_at=timezone.now(), file=stored)
        _fill(actor, certificate, data)
        certificate.save(force_insert=True)
        certificate.families.set(data.families)
        audit.record(
            actor=actor,
            action="qms.certificate.added",
            obj=certificate,
            changes=audit.diff({}, _values(certificate, data.families)),
        )
    return certificate


def edit_certificate(
    *,
    actor: User,
    certificate: Certificate,
    data: CertificateData,
    file: IO[bytes] | None = None,
    reason: str = "",
) -> Certificate:
    """Change what the certificate says (a new PDF replaces the old in the record; the
    trail keeps both hashes). A withdrawn certificate is kept as it was."""
    require(actor, CERTIFICATION)
    reason = clean_text(reason, "reason", required=False, limit=1000)
    data = _checked(data, certificate=certificate)
    stored = store_pdf(file)
    with audit.writing():
        certificate = _live(certificate)
        data = _checked(data, certificate=certificate)
        before = _values(certificate, certificate.families.all())
        _fill(actor, certificate, data)
        if stored is not None:
            certificate.file = stored
        changes = audit.diff(before, _values(certificate, data.families))
        if not changes:
            raise InvalidInput("Nothing was changed.", fields={})
        certificate.save()
        certificate.families.set(data.families)
        audit.record(
            actor=actor,
            action="qms.certificate.edited",
            obj=certificate,
            changes=changes,
            reason=reason,
        )
    return certificate


def _live(certificate: Certificate) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("body", "file")
        .get(pk=certificate.pk)
    )
    if certificate.retired:
        raise TransitionNotAllowed("The certificate was withdrawn; it is kept as it was.")
    return certificate


@audit.writing()
def withdraw_certificate(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdrawn (suspended, replaced or given up): kept for ever, no longer current."""
    require(actor, CERTIFICATION)
    reason = clean_text(reason, "reason", limit=1000)
    certificate = _live(certificate)
    certificate.retired_at, certificate.retire_reason = timezone.now(), reason
    certificate.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="qms.certificate.withdrawn",
        obj=certificate,
        changes={"state": ["valid", "withdrawn"]},
        reason=reason,
    )
    return certificate


@audit.writing()
def record_certification_body(
    *, actor: User, name: str, kind: str = BodyKind.UK_APPROVED, number: str = ""
) -> ApprovedBody:
    """The body a certificate names, found by name or recorded (audited with the
    organisation's own body event): certificates arrive before anyone has filled in the
    organisation profile."""
    require(actor, CERTIFICATION)
    return _body(actor, name=name, kind=kind, number=number)


def _body(actor: User, *, name: str, kind: str, number: str = "") -> ApprovedBody:
    name = clean_text(name, "name")
    number = clean_text(number, "number", required=False, limit=20)
    if kind not in BodyKind.values:
        raise InvalidInput("Choose the kind of body.", fields={"kind": "Unknown kind."})
    found = ApprovedBody.objects.filter(name=name, retired_at__isnull=True).first()
    if found is not None:
        return found
    body = ApprovedBody.objects.create(name=name, kind=kind, number=number)
    audit.record(
        actor=actor,
        action="qms.body.saved",
        obj=body,
        changes={"name": [None, name], "kind": [None, kind], "number": [None, number]},
    )
    return body
