"""Outsourced processes (ISO 13485 4.1.5) and their interface definition: who governs
each activity, and who must tell whom what, by when."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.documents.models import Document
from openqms.qms.models import Process
from openqms.suppliers.actions.common import choice, count, date, long_text, not_retired, text
from openqms.suppliers.models import (
    Direction,
    DutyKind,
    Governing,
    InterfaceActivity,
    NotificationDuty,
    OutsourcedProcess,
    Supplier,
    SupplierCertificate,
)
from openqms.suppliers.registry import MANAGE

FIELDS = (
    "partner",
    "title",
    "process",
    "agreement",
    "agreement_review_on",
    "agreement_expires_on",
    "partner_certificate",
    "contacts_ours",
    "contacts_partner",
    "exchange",
)


def _one(model: Any, value: Any, field: str, **where: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        value = value.pk
    found = model.objects.filter(pk=value, **where).first() if str(value).isdigit() else None
    if found is None:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} was not found.", fields={field: "Not found."}
        )
    return found


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    partner = _one(Supplier, data.get("partner"), "partner", retired_at__isnull=True)
    if partner is None:
        raise InvalidInput("Choose the partner.", fields={"partner": "Required."})
    cert = _one(SupplierCertificate, data.get("partner_certificate"), "partner_certificate")
    if cert is not None and cert.supplier_id != partner.pk:
        raise InvalidInput(
            "The certificate is not the partner's.",
            fields={"partner_certificate": "Not the partner's."},
        )
    values = {
        "partner": partner,
        "title": text(data.get("title"), "title"),
        "process": _one(Process, data.get("process"), "process"),
        "agreement": _one(Document, data.get("agreement"), "agreement"),
        "agreement_review_on": date(
            data.get("agreement_review_on"), "agreement_review_on", required=False
        ),
        "agreement_expires_on": date(
            data.get("agreement_expires_on"), "agreement_expires_on", required=False
        ),
        "partner_certificate": cert,
        "contacts_ours": long_text(data.get("contacts_ours"), "contacts_ours"),
        "contacts_partner": long_text(data.get("contacts_partner"), "contacts_partner"),
        "exchange": long_text(data.get("exchange"), "exchange"),
    }
    return values


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the trail records them (records by their pk and name)."""
    return {
        k: (f"{v.pk} {v}" if hasattr(v, "pk") and v is not None else v) for k, v in values.items()
    }


@audit.writing()
def create_outsourced_process(*, actor: User, **data: Any) -> OutsourcedProcess:
    require(actor, MANAGE)
    values = _clean(data)
    outsourced = OutsourcedProcess.objects.create(created_at=timezone.now(), **values)
    audit.record(
        actor=actor,
        action="suppliers.outsourced.created",
        obj=outsourced,
        changes={k: [None, v] for k, v in _shown(values).items()},
    )
    return outsourced


@audit.writing()
def edit_outsourced_process(
    *, actor: User, outsourced: OutsourcedProcess, **data: Any
) -> OutsourcedProcess:
    require(actor, MANAGE)
    outsourced = OutsourcedProcess.objects.select_for_update().get(pk=outsourced.pk)
    not_retired(outsourced, outsourced.title)
    values = _clean({k: data.get(k, getattr(outsourced, k)) for k in FIELDS})
    before = _shown({k: getattr(outsourced, k) for k in values})
    changes = audit.diff(before, _shown(values))
    if not changes:
        return outsourced
    for field, value in values.items():
        setattr(outsourced, field, value)
    outsourced.save(update_fields=list(values))
    audit.record(actor=actor, action="suppliers.outsourced.edited", obj=outsourced, changes=changes)
    return outsourced


@audit.writing()
def retire_outsourced_process(
    *, actor: User, outsourced: OutsourcedProcess, reason: str
) -> OutsourcedProcess:
    require(actor, MANAGE)
    reason = text(reason, "reason", limit=1000)
    outsourced = OutsourcedProcess.objects.select_for_update().get(pk=outsourced.pk)
    not_retired(outsourced, outsourced.title)
    outsourced.retired_at, outsourced.retire_reason = timezone.now(), reason
    outsourced.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="suppliers.outsourced.retired",
        obj=outsourced,
        changes={"retired_at": [None, outsourced.retired_at], "retire_reason": ["", reason]},
        reason=reason,
    )
    return outsourced


def _locked_open(outsourced: OutsourcedProcess) -> OutsourcedProcess:
    outsourced = OutsourcedProcess.objects.select_for_update().get(pk=outsourced.pk)
    not_retired(outsourced, outsourced.title)
    return outsourced


@audit.writing()
def add_activity(
    *, actor: User, outsourced: OutsourcedProcess, activity: str, governed_by: str, notes: str = ""
) -> InterfaceActivity:
    require(actor, MANAGE)
    outsourced = _locked_open(outsourced)
    row = InterfaceActivity.objects.create(
        outsourced=outsourced,
        activity=text(activity, "activity"),
        governed_by=choice(governed_by, Governing, "governed_by"),
        notes=long_text(notes, "notes"),
    )
    audit.record(
        actor=actor,
        action="suppliers.interface.added",
        obj=outsourced,
        changes={"activity": [None, [row.pk, row.activity, row.governed_by, row.notes]]},
    )
    return row


@audit.writing()
def add_duty(
    *,
    actor: User,
    outsourced: OutsourcedProcess,
    what: str,
    days: Any,
    direction: str,
    description: str = "",
) -> NotificationDuty:
    require(actor, MANAGE)
    outsourced = _locked_open(outsourced)
    limit = count(days, "days")
    if not 0 < limit <= 365:
        raise InvalidInput("The time limit is 1 to 365 days.", fields={"days": "1 to 365 days."})
    row = NotificationDuty.objects.create(
        outsourced=outsourced,
        what=choice(what, DutyKind, "what"),
        days=limit,
        direction=choice(direction, Direction, "direction"),
        description=text(description, "description", required=False),
    )
    audit.record(
        actor=actor,
        action="suppliers.interface.added",
        obj=outsourced,
        changes={"duty": [None, [row.pk, row.what, row.days, row.direction, row.description]]},
    )
    return row


@audit.writing()
def remove_interface_row(
    *, actor: User, outsourced: OutsourcedProcess, kind: str, pk: int, reason: str = ""
) -> None:
    """Take an activity or duty out of the interface definition; the row is kept, marked
    removed, and the event records what it said."""
    require(actor, MANAGE)
    outsourced = _locked_open(outsourced)
    rows: dict[str, Any] = {
        "activity": InterfaceActivity.objects.filter(outsourced=outsourced),
        "duty": NotificationDuty.objects.filter(outsourced=outsourced),
    }
    row = rows[kind].filter(pk=pk, removed_at__isnull=True).first() if kind in rows else None
    if row is None:
        raise TransitionNotAllowed("That row is not in this interface definition.")
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    audit.record(
        actor=actor,
        action="suppliers.interface.removed",
        obj=outsourced,
        changes={kind: [str(row), None], "row": [row.pk, None]},
        reason=text(reason, "reason", required=False, limit=1000),
    )
