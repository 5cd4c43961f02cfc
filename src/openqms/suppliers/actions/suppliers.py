"""The supplier register: add, edit, retire; the re-evaluation intervals."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.suppliers.actions.common import (
    choice,
    date,
    long_text,
    next_evaluation,
    not_retired,
    text,
)
from openqms.suppliers.models import (
    Category,
    Criticality,
    ReevaluationInterval,
    Supplier,
)
from openqms.suppliers.registry import MANAGE

FIELDS = (
    "name",
    "address",
    "contact_name",
    "email",
    "phone",
    "supplies",
    "category",
    "criticality",
    "criticality_rationale",
)


def _clean(data: dict[str, Any], pk: int | None = None) -> dict[str, Any]:
    name = text(data.get("name"), "name")
    if Supplier.objects.filter(name__iexact=name).exclude(pk=pk).exists():
        raise InvalidInput(
            f"A supplier called “{name}” is already on the register.",
            fields={"name": "Already on the register."},
        )
    email = text(data.get("email"), "email", required=False)
    if email and ("@" not in email or " " in email):
        raise InvalidInput("The email is not an email address.", fields={"email": "Not valid."})
    return {
        "name": name,
        "address": long_text(data.get("address"), "address"),
        "contact_name": text(data.get("contact_name"), "contact_name", required=False),
        "email": email,
        "phone": text(data.get("phone"), "phone", required=False, limit=50),
        "supplies": long_text(data.get("supplies"), "supplies", required=True),
        "category": choice(data.get("category"), Category, "category"),
        "criticality": choice(data.get("criticality"), Criticality, "criticality"),
        "criticality_rationale": long_text(
            data.get("criticality_rationale"), "criticality_rationale", required=True
        ),
    }


@audit.writing()
def create_supplier(*, actor: User, **data: Any) -> Supplier:
    require(actor, MANAGE)
    values = _clean(data)
    supplier = Supplier.objects.create(created_at=timezone.now(), **values)
    audit.record(
        actor=actor,
        action="suppliers.supplier.created",
        obj=supplier,
        changes={k: [None, v] for k, v in values.items()} | {"status": [None, supplier.status]},
    )
    return supplier


@audit.writing()
def edit_supplier(*, actor: User, supplier: Supplier, reason: str = "", **data: Any) -> Supplier:
    require(actor, MANAGE)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    not_retired(supplier, supplier.name)
    values = _clean({k: data.get(k, getattr(supplier, k)) for k in FIELDS}, supplier.pk)
    if values["criticality"] != supplier.criticality and supplier.decided_on is not None:
        # The interval follows the criticality: counted from the last decision.
        values["next_evaluation"] = next_evaluation(
            supplier.decided_on, values["criticality"], supplier.status
        )
    changes = audit.diff({k: getattr(supplier, k) for k in values}, values)
    if not changes:
        return supplier
    for field, value in values.items():
        setattr(supplier, field, value)
    supplier.save(update_fields=list(values))
    audit.record(
        actor=actor,
        action="suppliers.supplier.edited",
        obj=supplier,
        changes=changes,
        reason=text(reason, "reason", required=False, limit=1000),
    )
    return supplier


@audit.writing()
def retire_supplier(*, actor: User, supplier: Supplier, reason: str) -> Supplier:
    require(actor, MANAGE)
    reason = text(reason, "reason", limit=1000)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    not_retired(supplier, supplier.name)
    supplier.retired_at, supplier.retire_reason = timezone.now(), reason
    supplier.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="suppliers.supplier.retired",
        obj=supplier,
        changes={"retired_at": [None, supplier.retired_at], "retire_reason": ["", reason]},
        reason=reason,
    )
    return supplier


@audit.writing()
def set_interval(*, actor: User, criticality: str, months: int) -> ReevaluationInterval:
    """Change how often suppliers of one criticality are evaluated again (from the next
    decision on; dates already set stay as they were decided)."""
    require(actor, MANAGE)
    criticality = choice(criticality, Criticality, "criticality")
    if not isinstance(months, int) or not 1 <= months <= 120:
        raise InvalidInput(
            "The interval must be 1 to 120 months.", fields={"months": "1 to 120 months."}
        )
    row, created = ReevaluationInterval.objects.select_for_update().get_or_create(
        criticality=criticality, defaults={"months": months}
    )
    old = None if created else row.months
    row.months = months
    row.save(update_fields=["months"])
    audit.record(
        actor=actor, action="suppliers.interval.set", obj=row, changes={"months": [old, months]}
    )
    return row


@audit.writing()
def reschedule_evaluation(
    *, actor: User, supplier: Supplier, next_evaluation: Any, reason: str
) -> Supplier:
    """Bring a re-evaluation forward (after a nonconformance, a change of ownership…):
    never later than the last decision allows, so the interval cannot be stretched."""
    require(actor, MANAGE)
    reason = text(reason, "reason", limit=1000)
    when = date(next_evaluation, "next_evaluation")
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    not_retired(supplier, supplier.name)
    if supplier.next_evaluation is None:
        raise TransitionNotAllowed(f"{supplier.name} has no re-evaluation scheduled.")
    if when > supplier.next_evaluation:  # type: ignore[operator]
        raise InvalidInput(
            "A re-evaluation can be brought forward, not put off.",
            fields={"next_evaluation": f"On or before {supplier.next_evaluation:%d %b %Y}."},
        )
    old, supplier.next_evaluation = supplier.next_evaluation, when
    supplier.save(update_fields=["next_evaluation"])
    audit.record(
        actor=actor,
        action="suppliers.supplier.rescheduled",
        obj=supplier,
        changes={"next_evaluation": [old, when]},
        reason=reason,
    )
    return supplier
