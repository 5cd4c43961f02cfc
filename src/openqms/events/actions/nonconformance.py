"""Nonconformities' writers (ISO 13485 8.3): raise, contain, assess, dispose, authorise
a concession (signed), re-verify a rework, release (signed). Every step but raising is
a row of `NC_FLOW`, taken through core's one signed-step path.

A released nonconformity that names a supplier counts in that supplier's performance
(7.4.1): the release writes the supplier's performance record, with its own audit
event, in the same transaction (suppliers.actions.record_performance_within)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from openqms.core import audit
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow, different_person
from openqms.devices.models import Device
from openqms.events import guards
from openqms.events.actions.common import (
    choice,
    count,
    flag,
    link_sources,
    long_text,
    moment,
    require,
    require_performer,
    text,
)
from openqms.events.models import Disposition, NcSource, NcState, Nonconformity
from openqms.events.models.nonconformance import SUPPLIER_SOURCES
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import (
    LOG,
    MANAGE,
    NC_CLOSED_IN_ERROR,
    NC_CONCESSION,
    NC_RELEASED,
    SIGN,
)
from openqms.suppliers.actions import record_performance_within
from openqms.suppliers.models import Source as PerformanceSource
from openqms.suppliers.models import Supplier

__all__ = [
    "NC_FLOW",
    "assess_nonconformity",
    "authorise_concession",
    "change_disposition",
    "close_in_error",
    "contain_nonconformity",
    "dispose_nonconformity",
    "pack_section",
    "raise_nonconformity",
    "release_nonconformity",
    "reverify_nonconformity",
]


# Dispositions that reject the lot as delivered (they count as rejected for its supplier).
REJECTED = (Disposition.SCRAP, Disposition.RETURN, Disposition.REWORK)


# -- guards ------------------------------------------------------------------------------


def _is_concession(nc: Nonconformity, actor: Any) -> str | None:
    if nc.disposition != Disposition.USE_AS_IS:
        return "Only a product used as is needs a concession."
    if nc.concession_at is not None:
        return "The concession is authorised already."
    return None


def _is_rework(nc: Nonconformity, actor: Any) -> str | None:
    return None if nc.disposition == Disposition.REWORK else "Only reworked product is re-verified."


def _disposition_may_change(nc: Nonconformity, actor: Any) -> str | None:
    # Allowed while nothing binding stands on it: no signed concession, no passed
    # re-verification (a refused concession or a failed re-verification can be undone).
    if nc.concession_at is not None:
        return "The concession is signed: the disposition stands."
    if nc.disposition == Disposition.REWORK and nc.reverification_passed:
        return "The rework passed its re-verification: release it."
    return None


def _ready_to_release(nc: Nonconformity, actor: Any) -> str | None:
    # ISO 13485 8.3.2: use as is only under an authorised concession.
    if nc.disposition == Disposition.USE_AS_IS and nc.concession_at is None:
        return "The concession must be authorised (signed) before release."
    # 8.3.4: reworked product is re-verified against its requirement before release.
    if nc.disposition == Disposition.REWORK and not nc.reverification_passed:
        return "Reworked product needs a passed re-verification before release."
    return guards.refusal_of("nonconformity", "release", nc)


NC_FLOW = Workflow(
    model=Nonconformity,
    states=NcState,
    transitions=[
        Transition(
            "contain",
            sources=(NcState.RAISED,),
            target=NcState.CONTAINED,
            permission=MANAGE,
            event="events.nonconformity.contained",
            label="Record containment",
        ),
        Transition(
            "assess",
            sources=(NcState.CONTAINED,),
            target=NcState.ASSESSED,
            permission=MANAGE,
            event="events.nonconformity.assessed",
            label="Assess the impact",
        ),
        Transition(
            "dispose",
            sources=(NcState.ASSESSED,),
            target=NcState.DISPOSED,
            permission=MANAGE,
            event="events.nonconformity.disposed",
            label="Decide the disposition",
        ),
        Transition(
            "authorise_concession",
            sources=(NcState.DISPOSED,),
            target=NcState.DISPOSED,
            permission=SIGN,
            signature=NC_CONCESSION,
            event="events.nonconformity.concession",
            label="Authorise the concession",
            guards=(
                _is_concession,
                # 8.3.2: the concession is authorised by someone other than those who
                # raised the nonconformity and decided to use it as is.
                different_person("opened_by", "Who raised it cannot authorise its concession."),
                different_person("disposed_by", "Who chose use as is cannot authorise it."),
            ),
        ),
        Transition(
            "reverify",
            sources=(NcState.DISPOSED,),
            target=NcState.DISPOSED,
            permission=MANAGE,
            event="events.nonconformity.reverified",
            label="Record the re-verification",
            guards=(_is_rework,),
        ),
        Transition(
            "release",
            sources=(NcState.DISPOSED,),
            target=NcState.CLOSED,
            permission=SIGN,
            signature=NC_RELEASED,
            event="events.nonconformity.released",
            label="Release",
            guards=(
                _ready_to_release,
                # Segregation: who re-verified the rework does not release it alone.
                different_person("reverified_by", "Who re-verified the rework cannot release it."),
            ),
            stamp="closed_at",
            effects=(lambda nc, actor: _count_against_supplier(nc, actor),),
        ),
        Transition(
            "change_disposition",
            sources=(NcState.DISPOSED,),
            target=NcState.ASSESSED,
            permission=MANAGE,
            event="events.nonconformity.disposition_changed",
            label="Change the disposition",
            reason_required=True,
            guards=(_disposition_may_change,),
        ),
        Transition(
            "close_in_error",
            sources=(NcState.RAISED, NcState.CONTAINED, NcState.ASSESSED, NcState.DISPOSED),
            target=NcState.CLOSED,
            permission=SIGN,
            signature=NC_CLOSED_IN_ERROR,
            event="events.nonconformity.closed_in_error",
            label="Close as raised in error",
            reason_required=True,
            guards=(
                lambda nc, actor: (
                    "The concession is signed: release it instead."
                    if nc.concession_at is not None
                    else None
                ),
            ),
            stamp="closed_at",
        ),
    ],
)


# -- raising -----------------------------------------------------------------------------


def _supplier(source: str, supplier: Supplier | int | None) -> Supplier | None:
    if supplier is None or supplier == "":
        if source in SUPPLIER_SOURCES:
            raise InvalidInput(
                "Name the supplier of nonconforming incoming goods or supplier output.",
                fields={"supplier": "Required for this source."},
            )
        return None
    if source not in SUPPLIER_SOURCES:
        raise InvalidInput(
            "A supplier is named only for incoming goods or supplier nonconformities.",
            fields={"supplier": "Only for incoming goods or a supplier."},
        )
    pk = supplier.pk if isinstance(supplier, Supplier) else supplier
    found = Supplier.objects.filter(pk=pk, retired_at__isnull=True).first()
    if found is None:
        raise InvalidInput("There is no such supplier.", fields={"supplier": "Unknown."})
    return found


def _device(device: Device | int | None) -> Device | None:
    if device is None or device == "":
        return None
    pk = device.pk if isinstance(device, Device) else device
    found = Device.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput("There is no such device.", fields={"device": "Unknown."})
    return found


def _quantity(value: Any) -> int | None:
    return None if value in (None, "") else count(value, "quantity")


def raise_nonconformity(
    *,
    actor: User,
    title: str,
    source: str,
    description: str,
    requirement: str,
    device: Device | int | None = None,
    supplier: Supplier | int | None = None,
    product: str = "",
    part: str = "",
    lot: str = "",
    serial: str = "",
    quantity: Any = None,
    sources: Iterable[str] = (),
) -> Nonconformity:
    """Anyone working in the QMS raises a nonconformity (8.3.1); `sources` are the records
    it comes from ("events.complaint:12"), linked "raised"."""
    require(actor, LOG, "raise a nonconformity")
    source = choice(source, NcSource, "source")
    values: dict[str, Any] = {
        "title": text(title, "title"),
        "source": source,
        "description": long_text(description, "description", required=True),
        "requirement": long_text(requirement, "requirement", required=True),
        "device": _device(device),
        "supplier": _supplier(source, supplier),
        "product": text(product, "product", required=False),
        "part": text(part, "part", required=False),
        "lot": text(lot, "lot", required=False, limit=100),
        "serial": text(serial, "serial", required=False, limit=100),
        "quantity": _quantity(quantity),
    }
    sources = list(sources)
    with audit.writing():
        nc = Nonconformity.objects.create(
            number=next_number(Nonconformity.KIND),
            owner=actor,
            opened_by=actor,
            opened_at=timezone.now(),
            **values,
        )
        shown = values | {
            "device": str(values["device"]) if values["device"] else None,
            "supplier": values["supplier"].name if values["supplier"] else None,
        }
        audit.record(
            actor=actor,
            action="events.nonconformity.raised",
            obj=nc,
            changes={"number": [None, nc.number]} | {k: [None, v] for k, v in shown.items()},
        )
        link_sources(actor=actor, record=nc, sources=sources)
    return nc


# -- the steps ---------------------------------------------------------------------------


def _allowed(nc: Nonconformity, name: str, actor: User) -> None:
    """Permission, state and the step's own rules first, before the input is read and
    before the training gate: a refusal says why the step is not open to `actor` now."""
    error = NC_FLOW.refusal(nc, actor, NC_FLOW.get(name), gates=False)
    if error is not None:
        raise error


def _step(
    nc: Nonconformity, name: str, actor: User, updates: dict[str, Any], reason: str = ""
) -> Nonconformity:
    """An unsigned step whose input is read: the training gate (6.2), then the table
    (which checks permission and state again, on the locked record)."""
    require_performer(actor, nc)
    return NC_FLOW.apply(obj=nc, name=name, actor=actor, updates=updates, reason=reason)


def contain_nonconformity(
    *, actor: User, nc: Nonconformity, containment: str, contained_at: Any = None
) -> Nonconformity:
    _allowed(nc, "contain", actor)
    when = moment(contained_at, "contained_at", required=False, not_future=True)
    updates = {
        "containment": long_text(containment, "containment", required=True),
        "contained_at": when or timezone.now(),
        "contained_by_id": actor.pk,
    }
    return _step(nc, "contain", actor, updates)


def assess_nonconformity(
    *, actor: User, nc: Nonconformity, impact: str, delivered_affected: Any
) -> Nonconformity:
    _allowed(nc, "assess", actor)
    if delivered_affected in (None, ""):
        raise InvalidInput(
            "Say whether devices already delivered are affected.",
            fields={"delivered_affected": "Required."},
        )
    updates = {
        "impact": long_text(impact, "impact", required=True),
        "delivered_affected": flag(delivered_affected, "delivered_affected"),
        "assessed_by_id": actor.pk,
        "assessed_at": timezone.now(),
    }
    return _step(nc, "assess", actor, updates)


def dispose_nonconformity(
    *,
    actor: User,
    nc: Nonconformity,
    disposition: str,
    note: str = "",
    justification: str = "",
) -> Nonconformity:
    _allowed(nc, "dispose", actor)
    disposition = choice(disposition, Disposition, "disposition")
    if disposition == Disposition.RETURN and not nc.supplier_id:
        raise InvalidInput(
            "Only a nonconformity with a supplier can be returned to the supplier.",
            fields={"disposition": "No supplier named."},
        )
    concession = disposition == Disposition.USE_AS_IS
    if not concession and justification.strip():
        raise InvalidInput(
            "A justification is given only for use as is under a concession.",
            fields={"justification": "Only for use as is."},
        )
    updates = {
        "disposition": disposition,
        "disposition_note": long_text(note, "note"),
        "concession_justification": long_text(justification, "justification", required=concession),
        "disposed_by_id": actor.pk,
        "disposed_at": timezone.now(),
    }
    return _step(nc, "dispose", actor, updates)


def reverify_nonconformity(
    *, actor: User, nc: Nonconformity, result: str, passed: Any
) -> Nonconformity:
    """Record the re-verification of reworked product (8.3.4); a failed one is recorded
    too, and a new one may follow after further rework."""
    _allowed(nc, "reverify", actor)
    if passed in (None, ""):
        raise InvalidInput(
            "Say whether the re-verification passed.", fields={"passed": "Required."}
        )
    updates = {
        "reverification": long_text(result, "result", required=True),
        "reverification_passed": flag(passed, "passed"),
        "reverified_by_id": actor.pk,
        "reverified_at": timezone.now(),
    }
    return _step(nc, "reverify", actor, updates)


def authorise_concession(
    *, actor: User, nc: Nonconformity, credentials: Credentials | None, reason: str = ""
) -> Nonconformity:
    updates = {"concession_by_id": actor.pk, "concession_at": timezone.now()}
    return NC_FLOW.apply(
        obj=nc,
        name="authorise_concession",
        actor=actor,
        credentials=credentials,
        reason=reason,
        updates=updates,
    )


def change_disposition(*, actor: User, nc: Nonconformity, reason: str) -> Nonconformity:
    """Take back a disposition that cannot be carried out (a concession refused, a
    re-verification failed, a better decision found): back to assessed, with the reason,
    audited with the old values; the disposition is then decided again."""
    _allowed(nc, "change_disposition", actor)
    if not reason.strip():
        raise InvalidInput("Say why the disposition changes.", fields={"reason": "Required."})
    updates = {
        "disposition": "",
        "disposition_note": "",
        "concession_justification": "",
        "disposed_by_id": None,
        "disposed_at": None,
        "reverification": "",
        "reverification_passed": None,
        "reverified_by_id": None,
        "reverified_at": None,
    }
    return _step(nc, "change_disposition", actor, updates, reason=reason)


def close_in_error(
    *, actor: User, nc: Nonconformity, credentials: Credentials | None, reason: str = ""
) -> Nonconformity:
    """Close a nonconformity raised in error (no product or process was nonconforming):
    signed, with the reason; it has no disposition and never counts against a supplier."""
    return NC_FLOW.apply(
        obj=nc,
        name="close_in_error",
        actor=actor,
        credentials=credentials,
        reason=reason,
        updates={"raised_in_error": True, "released_by_id": actor.pk},
    )


def release_nonconformity(
    *, actor: User, nc: Nonconformity, credentials: Credentials | None, reason: str = ""
) -> Nonconformity:
    return NC_FLOW.apply(
        obj=nc,
        name="release",
        actor=actor,
        credentials=credentials,
        reason=reason,
        updates={"released_by_id": actor.pk},
    )


def _count_against_supplier(nc: Nonconformity, actor: User | None) -> None:
    """7.4.1: a released supplier nonconformity is recorded in the supplier's performance
    for the period from when it was raised to its release. A rejected lot (scrapped,
    returned to the supplier or reworked) is recorded as 1 lot received and 1 rejected:
    the nonconforming lot itself, so that the rejection has its receipt. A lot used as is
    under a concession is recorded as 0 received and 0 rejected (the record and its note
    show the nonconformity; the rejection rate is unchanged)."""
    if nc.supplier_id is None or actor is None:
        return
    rejected = 1 if nc.disposition in REJECTED else 0
    assert transaction.get_connection().in_atomic_block
    record_performance_within(
        actor=actor,
        supplier=nc.supplier,  # type: ignore[arg-type]
        period_start=timezone.localtime(nc.opened_at).date(),
        period_end=timezone.localdate(),
        lots_received=rejected,
        lots_rejected=rejected,
        notes=f"{nc.number} {nc.title} ({nc.get_disposition_display()})",
        source=PerformanceSource.NONCONFORMANCE,
    )


# -- the PMS data pack ------------------------------------------------------------------


def pack_section(device: Device, start: dt.date, end: dt.date) -> PackSection:
    rows = (
        Nonconformity.objects.filter(
            device=device, opened_at__date__gte=start, opened_at__date__lte=end
        )
        .select_related("supplier")
        .order_by("opened_at", "pk")
    )
    table = [
        [
            nc.number,
            nc.title,
            nc.get_source_display(),
            nc.supplier.name if nc.supplier else "",
            timezone.localtime(nc.opened_at).date().isoformat(),
            nc.get_state_display(),
            nc.get_disposition_display() if nc.disposition else "",
            {True: "yes", False: "no", None: ""}[nc.delivered_affected],
        ]
        for nc in rows
    ]
    tally = rows.aggregate(
        open=Count("pk", filter=~Q(state=NcState.CLOSED)),
        delivered=Count("pk", filter=Q(delivered_affected=True)),
    )
    return PackSection(
        title="Nonconformities",
        columns=[
            "Number",
            "Title",
            "Source",
            "Supplier",
            "Raised",
            "State",
            "Disposition",
            "Delivered devices affected",
        ],
        rows=table,
        summary=(
            f"{len(table)} nonconformities, {tally['open']} open, "
            f"{tally['delivered']} affecting delivered devices"
        ),
    )
