"""Supplier certificates and performance records (ISO 13485 7.4.1: monitoring)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.suppliers.actions.common import choice, count, date, long_text, not_retired, text
from openqms.suppliers.models import (
    CertificateKind,
    PerformanceRecord,
    Source,
    Supplier,
    SupplierCertificate,
)
from openqms.suppliers.registry import MANAGE


@audit.writing()
def add_certificate(
    *,
    actor: User,
    supplier: Supplier,
    kind: str,
    number: str,
    issuer: str,
    expires_on: Any,
    title: str = "",
    file_name: str = "",
    file_content: IO[bytes] | None = None,
) -> SupplierCertificate:
    require(actor, MANAGE)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    not_retired(supplier, supplier.name)
    values: dict[str, Any] = {
        "kind": choice(kind, CertificateKind, "kind"),
        "title": text(title, "title", required=kind == CertificateKind.OTHER),
        "number": text(number, "number", limit=100),
        "issuer": text(issuer, "issuer"),
        "expires_on": date(expires_on, "expires_on"),
    }
    stored = None
    if file_content is not None:
        values["file_name"] = files.check_name(text(file_name, "file_name"))
        stored = files.store(file_content)
    cert = SupplierCertificate.objects.create(
        supplier=supplier, file=stored, created_at=timezone.now(), **values
    )
    audit.record(
        actor=actor,
        action="suppliers.certificate.added",
        obj=cert,
        changes={"supplier": [None, supplier.name]}
        | {k: [None, v] for k, v in values.items()}
        | {"file": [None, stored.sha256 if stored else None]},
    )
    return cert


@audit.writing()
def retire_certificate(
    *, actor: User, certificate: SupplierCertificate, reason: str
) -> SupplierCertificate:
    require(actor, MANAGE)
    reason = text(reason, "reason", limit=1000)
    cert = SupplierCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.retired_at is not None:
        raise TransitionNotAllowed("This certificate is retired already; nothing was changed.")
    cert.retired_at, cert.retire_reason = timezone.now(), reason
    cert.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="suppliers.certificate.retired",
        obj=cert,
        changes={"retired_at": [None, cert.retired_at], "retire_reason": ["", reason]},
        reason=reason,
    )
    return cert


@audit.writing()
def record_performance(
    *,
    actor: User,
    supplier: Supplier,
    period_start: Any,
    period_end: Any,
    deliveries_on_time: Any = 0,
    deliveries_total: Any = 0,
    lots_received: Any = 0,
    lots_rejected: Any = 0,
    notes: str = "",
    source: str = Source.MANUAL,
) -> PerformanceRecord:
    require(actor, MANAGE)
    return record_performance_within(
        actor=actor,
        supplier=supplier,
        period_start=period_start,
        period_end=period_end,
        deliveries_on_time=deliveries_on_time,
        deliveries_total=deliveries_total,
        lots_received=lots_received,
        lots_rejected=lots_rejected,
        notes=notes,
        source=source,
    )


def record_performance_within(
    *,
    actor: User,
    supplier: Supplier,
    period_start: Any,
    period_end: Any,
    deliveries_on_time: Any = 0,
    deliveries_total: Any = 0,
    lots_received: Any = 0,
    lots_rejected: Any = 0,
    notes: str = "",
    source: str = Source.MANUAL,
) -> PerformanceRecord:
    """`record_performance` inside the caller's transaction, for another module's step
    that counts in a supplier's performance (a released supplier nonconformity, 7.4.1):
    the record and its audit event commit or roll back with that step. The caller has
    checked its own permission for the step; this one checks the input."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_performance_within runs inside the caller's transaction")
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    start: dt.date = date(period_start, "period_start")  # type: ignore[assignment]
    end: dt.date = date(period_end, "period_end")  # type: ignore[assignment]
    if end < start:
        raise InvalidInput(
            "The period ends before it starts.", fields={"period_end": "Before the start."}
        )
    values: dict[str, Any] = {
        "period_start": start,
        "period_end": end,
        "deliveries_on_time": count(deliveries_on_time, "deliveries_on_time"),
        "deliveries_total": count(deliveries_total, "deliveries_total"),
        "lots_received": count(lots_received, "lots_received"),
        "lots_rejected": count(lots_rejected, "lots_rejected"),
        "notes": long_text(notes, "notes"),
        "source": choice(source, Source, "source"),
    }
    if values["deliveries_on_time"] > values["deliveries_total"]:
        raise InvalidInput(
            "More deliveries on time than deliveries in all.",
            fields={"deliveries_on_time": "At most the total."},
        )
    if values["lots_rejected"] > values["lots_received"]:
        raise InvalidInput(
            "More lots rejected than received.", fields={"lots_rejected": "At most those received."}
        )
    record = PerformanceRecord.objects.create(
        supplier=supplier, recorded_by=actor, recorded_at=timezone.now(), **values
    )
    audit.record(
        actor=actor,
        action="suppliers.performance.recorded",
        obj=record,
        changes={"supplier": [None, supplier.name]} | {k: [None, v] for k, v in values.items()},
    )
    return record


@audit.writing()
def withdraw_performance(
    *, actor: User, record: PerformanceRecord, reason: str
) -> PerformanceRecord:
    """A record entered wrongly is withdrawn (kept, with the reason) and entered again."""
    require(actor, MANAGE)
    reason = text(reason, "reason", limit=1000)
    record = PerformanceRecord.objects.select_for_update().get(pk=record.pk)
    if record.withdrawn_at is not None:
        raise TransitionNotAllowed("This record is withdrawn already; nothing was changed.")
    record.withdrawn_at, record.withdraw_reason = timezone.now(), reason
    record.save(update_fields=["withdrawn_at", "withdraw_reason"])
    audit.record(
        actor=actor,
        action="suppliers.performance.withdrawn",
        obj=record,
        changes={"withdrawn_at": [None, record.withdrawn_at], "withdraw_reason": ["", reason]},
        reason=reason,
    )
    return record
