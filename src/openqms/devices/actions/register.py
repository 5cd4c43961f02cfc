"""The device register's writers: devices, their markets and UDIs, the lifecycle, the
MHRA registration, and the CE recognition dates (configuration)."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.core.workflow import Transition, Workflow
from openqms.devices.checks import check_gmdn, check_udi
from openqms.devices.models import (
    ROUTES,
    CeRecognition,
    Device,
    DeviceClass,
    DeviceMarket,
    DeviceState,
    DeviceUdi,
    Route,
)
from openqms.devices.registry import MANAGE
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily, ResponsiblePerson

S = DeviceState

# The date the step being taken records. Workflow.apply runs guards on the row it locked,
# so the "never before the step before it" rule reads dates no other step can be
# changing at the same time (a rule checked on the caller's object would not).
_STEP_DAY: ContextVar[dt.date | None] = ContextVar("devices_step_day", default=None)


def _not_before(field: str) -> Any:
    def guard(device: Device, actor: User | None) -> str | None:
        day, before = _STEP_DAY.get(), getattr(device, field)
        if day is not None and before is not None and day < before:
            return f"The date cannot be before {before:%d %b %Y}."
        return None

    return guard


LIFECYCLE = Workflow(
    model=Device,
    states=DeviceState,
    transitions=[
        Transition(
            "place",
            sources=(S.IN_DESIGN,),
            target=S.ON_MARKET,
            permission=MANAGE,
            event="devices.device.placed",
            label="Placed on the market",
        ),
        Transition(
            "discontinue",
            sources=(S.ON_MARKET,),
            target=S.DISCONTINUED,
            permission=MANAGE,
            event="devices.device.discontinued",
            label="Discontinued",
            reason_required=True,
            guards=(_not_before("first_placed_on"),),
        ),
        Transition(
            "end_support",
            sources=(S.DISCONTINUED,),
            target=S.SUPPORT_ENDED,
            permission=MANAGE,
            event="devices.device.support_ended",
            label="Support ended",
            reason_required=True,
            guards=(_not_before("last_placed_on"),),
        ),
    ],
)
# The date each step records (retention counts from them: ISO 13485 4.2.5).
STEP_DATES = {
    "place": "first_placed_on",
    "discontinue": "last_placed_on",
    "end_support": "support_ended_on",
}
# What the MHRA holds about a registered device (UK MDR 2002 reg. 19): a change to any
# of these must be notified, so it flags the registration as to be updated.
REGISTERED = ("name", "intended_purpose", "device_class", "gmdn_code", "responsible_person")


def _text_fields(data: dict[str, Any]) -> dict[str, Any]:
    data["name"] = clean_text(data["name"], "name", limit=200)
    data["model"] = clean_text(data.get("model", ""), "model", required=False, limit=100)
    data["intended_purpose"] = clean_text(data["intended_purpose"], "intended_purpose", limit=5000)
    data["classification_rule"] = clean_text(
        data["classification_rule"], "classification_rule", limit=50
    )
    data["classification_justification"] = clean_text(
        data["classification_justification"], "classification_justification", limit=5000
    )
    data["gmdn_code"] = check_gmdn(
        clean_text(data.get("gmdn_code", ""), "gmdn_code", required=False)
    )
    lifetime = data.get("lifetime_years")
    if lifetime is not None and not 1 <= lifetime <= 50:
        raise InvalidInput(
            "Give the expected lifetime in years, 1 to 50.", fields={"lifetime_years": "1–50."}
        )
    rp = data.get("responsible_person")
    if rp is not None and rp.retired:
        raise InvalidInput(
            f"{rp.name} is retired as UK Responsible Person.",
            fields={"responsible_person": "Retired."},
        )
    return data


def _name_taken(name: str, model: str, exclude: int | None = None) -> None:
    taken = Device.objects.filter(name__iexact=name, model__iexact=model).exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput(
            f"A device “{name} {model}” is in the register already.".replace(" ”", "”"),
            fields={"name": "Taken."},
        )


def _family_in_use(family: DeviceFamily) -> None:
    """Read afresh (the caller's copy may be older than a retirement)."""
    if DeviceFamily.objects.filter(pk=family.pk, retired_at__isnull=False).exists():
        raise InvalidInput(f"The family {family.code} is retired.", fields={"family": "Retired."})


def _shown(value: Any) -> Any:
    """How a value is kept in the audit event: a related record by its name."""
    if isinstance(value, DeviceClass):
        return value.code
    if isinstance(value, ResponsiblePerson | DeviceFamily):
        return str(value)
    return value


@audit.writing()
def create_device(
    *,
    actor: User,
    family: DeviceFamily,
    name: str,
    intended_purpose: str,
    device_class: DeviceClass,
    classification_rule: str,
    classification_justification: str,
    model: str = "",
    gmdn_code: str = "",
    responsible_person: ResponsiblePerson | None = None,
    lifetime_years: int | None = None,
) -> Device:
    require(actor, MANAGE)
    data = _text_fields(
        {
            "name": name,
            "model": model,
            "intended_purpose": intended_purpose,
            "classification_rule": classification_rule,
            "classification_justification": classification_justification,
            "gmdn_code": gmdn_code,
            "responsible_person": responsible_person,
            "lifetime_years": lifetime_years,
        }
    )
    _family_in_use(family)
    _name_taken(data["name"], data["model"])
    device = Device.objects.create(
        family=family, device_class=device_class, created_at=timezone.now(), **data
    )
    audit.record(
        actor=actor,
        action="devices.device.created",
        obj=device,
        changes={
            k: [None, _shown(v)]
            for k, v in {"family": family, "device_class": device_class, **data}.items()
        },
    )
    return device


@audit.writing()
def edit_device(*, actor: User, device: Device, reason: str = "", **fields: Any) -> Device:
    """Change the device's details; a change to registered data flags the MHRA
    registration as to be updated (when the device is registered)."""
    require(actor, MANAGE)
    device = Device.objects.select_for_update().get(pk=device.pk)
    current = {k: getattr(device, k) for k in fields}
    merged = _text_fields(
        {
            **{k: getattr(device, k) for k in ("name", "model", "intended_purpose")},
            **{k: getattr(device, k) for k in ("classification_rule", "gmdn_code")},
            "classification_justification": device.classification_justification,
            "responsible_person": device.responsible_person,
            "lifetime_years": device.lifetime_years,
            **fields,
        }
    )
    new = {k: merged.get(k, v) for k, v in fields.items()}
    if "family" in new and new["family"].pk != device.family_id:
        _family_in_use(new["family"])
    changes = audit.diff(
        {k: _shown(v) for k, v in current.items()}, {k: _shown(v) for k, v in new.items()}
    )
    if not changes:
        raise InvalidInput("Nothing changed.")
    if "name" in changes or "model" in changes:
        _name_taken(merged["name"], merged["model"], exclude=device.pk)
    if (
        device.mhra_reference
        and not device.registration_to_update
        and set(changes) & set(REGISTERED)
    ):
        device.registration_stale_since = timezone.now()
        changes["registration_to_update"] = [False, True]
    for k, v in new.items():
        setattr(device, k, v)
    device.save()
    audit.record(
        actor=actor,
        action="devices.device.edited",
        obj=device,
        changes=changes,
        reason=clean_text(reason, "reason", required=False, limit=2000),
    )
    return device


def _flag_registration(device: Device, changes: dict[str, Any]) -> None:
    """Called under the device's lock: registered data (a UDI) changed."""
    if device.mhra_reference and not device.registration_to_update:
        device.registration_stale_since = timezone.now()
        device.save(update_fields=["registration_stale_since"])
        changes["registration_to_update"] = [False, True]


def take_step(
    *, actor: User, device: Device, step: str, on: dt.date | None = None, reason: str = ""
) -> Device:
    """A lifecycle step, recording its date (today unless given; never in the future,
    never before the step before it)."""
    t = LIFECYCLE.get(step)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidInput("The date cannot be in the future.", fields={"on": "In the future."})
    token = _STEP_DAY.set(day)
    try:
        return LIFECYCLE.apply(
            obj=device, name=t.name, actor=actor, reason=reason, updates={STEP_DATES[t.name]: day}
        )
    finally:
        _STEP_DAY.reset(token)


@audit.writing()
def record_registration(
    *, actor: User, device: Device, reference: str, registered_on: dt.date
) -> Device:
    """The MHRA registration (first, or updated after a change): clears the flag."""
    require(actor, MANAGE)
    reference = clean_text(reference, "reference", limit=100)
    if registered_on > timezone.localdate():
        raise InvalidInput(
            "The registration date cannot be in the future.",
            fields={"registered_on": "In the future."},
        )
    device = Device.objects.select_for_update().get(pk=device.pk)
    changes = audit.diff(
        {
            "mhra_reference": device.mhra_reference,
            "mhra_registered_on": device.mhra_registered_on,
            "registration_to_update": device.registration_to_update,
        },
        {
            "mhra_reference": reference,
            "mhra_registered_on": registered_on,
            "registration_to_update": False,
        },
    )
    if not changes:
        raise InvalidInput("This registration is recorded already.")
    device.mhra_reference, device.mhra_registered_on = reference, registered_on
    device.registration_stale_since = None
    device.save()
    audit.record(actor=actor, action="devices.device.registered", obj=device, changes=changes)
    return device


def _market_refusal(
    market: str, route: str, body: ApprovedBody | None, recognition: CeRecognition | None
) -> InvalidInput | None:
    allowed = ROUTES.get(market)  # type: ignore[call-overload]
    if allowed is None:
        return InvalidInput("Choose the market.", fields={"market": "Unknown."})
    if route not in allowed:
        names = " or ".join(Route(r).label for r in allowed)
        return InvalidInput(
            f"On this market the route is {names}.", fields={"route": "Not for this market."}
        )
    if route == Route.CE_GB and recognition is None:
        return InvalidInput(
            "Say under which CE regime it is recognised in GB.",
            fields={"recognition": "Required for CE recognised in GB."},
        )
    if body is not None and body.retired:
        return InvalidInput(f"{body} is retired.", fields={"body": "Retired."})
    return None


@audit.writing()
def add_market(
    *,
    actor: User,
    device: Device,
    market: str,
    route: str,
    body: ApprovedBody | None = None,
    certificate: Certificate | None = None,
    recognition: CeRecognition | None = None,
) -> DeviceMarket:
    require(actor, MANAGE)
    refusal = _market_refusal(market, route, body, recognition)
    if refusal is not None:
        raise refusal
    if route != Route.CE_GB:
        recognition = None
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.markets.filter(market=market, removed_at__isnull=True).exists():
        raise InvalidInput(
            "This market has a route already: remove it first.", fields={"market": "Taken."}
        )
    row = DeviceMarket.objects.create(
        device=device,
        market=market,
        route=route,
        body=body,
        certificate=certificate,
        recognition=recognition,
        added_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="devices.market.added",
        obj=device,
        changes={
            "market": [None, market],
            "route": [None, route],
            "body": [None, str(body) if body else None],
            "certificate": [None, str(certificate) if certificate else None],
            "recognised_until": [None, recognition.until if recognition else None],
        },
    )
    return row


@audit.writing()
def remove_market(*, actor: User, market: DeviceMarket, reason: str) -> DeviceMarket:
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    row = DeviceMarket.objects.select_for_update().get(pk=market.pk)
    if row.removed_at is not None:
        raise TransitionNotAllowed("This market was removed already.")
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    audit.record(
        actor=actor,
        action="devices.market.removed",
        obj=row.device,
        changes={"market": [row.market, None], "route": [row.route, None]},
        reason=reason,
    )
    return row


@audit.writing()
def add_udi(
    *, actor: User, device: Device, kind: str, agency: str, code: str, description: str = ""
) -> DeviceUdi:
    require(actor, MANAGE)
    code = check_udi(kind, agency, clean_text(code, "code", limit=100))
    description = clean_text(description, "description", required=False, limit=200)
    if DeviceUdi.objects.filter(
        kind=kind, agency=agency, code=code, removed_at__isnull=True
    ).exists():
        raise InvalidInput("This UDI is in the register already.", fields={"code": "Taken."})
    device = Device.objects.select_for_update().get(pk=device.pk)
    udi = DeviceUdi.objects.create(
        device=device,
        kind=kind,
        agency=agency,
        code=code,
        description=description,
        added_at=timezone.now(),
    )
    changes: dict[str, Any] = {"udi": [None, f"{kind} {agency} {code}"]}
    _flag_registration(device, changes)
    audit.record(actor=actor, action="devices.udi.added", obj=device, changes=changes)
    return udi


@audit.writing()
def remove_udi(*, actor: User, udi: DeviceUdi, reason: str) -> DeviceUdi:
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    row = DeviceUdi.objects.select_for_update().get(pk=udi.pk)
    if row.removed_at is not None:
        raise TransitionNotAllowed("This UDI was removed already.")
    device = Device.objects.select_for_update().get(pk=row.device_id)
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    changes: dict[str, Any] = {"udi": [f"{row.kind} {row.agency} {row.code}", None]}
    _flag_registration(device, changes)
    audit.record(
        actor=actor, action="devices.udi.removed", obj=device, changes=changes, reason=reason
    )
    return row


@audit.writing()
def edit_recognition(
    *, actor: User, recognition: CeRecognition, until: dt.date, reason: str
) -> CeRecognition:
    """The government moves these dates by regulation: record the new one, and why."""
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    row = CeRecognition.objects.select_for_update().get(pk=recognition.pk)
    if row.until == until:
        raise InvalidInput("Nothing changed.", fields={"until": "Same date."})
    audit.record(
        actor=actor,
        action="devices.recognition.edited",
        obj=row,
        changes={"code": row.code, "until": [row.until, until]},
        reason=reason,
    )
    row.until = until
    row.save(update_fields=["until"])
    return row


def registrations_to_update() -> Any:
    return Device.objects.filter(~Q(registration_stale_since=None)).order_by(
        "registration_stale_since", "pk"
    )
