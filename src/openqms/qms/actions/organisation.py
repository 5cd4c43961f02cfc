"""The organisation profile's writers: the profile itself, its market roles, sites,
approved bodies and UK Responsible People (UK MDR 2002 regs. 7A, 19; ISO 13485 4.1.1).
Every change is audited old → new; nothing is deleted, rows are retired with a reason."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import Document
from openqms.qms.models import (
    ApprovedBody,
    BodyKind,
    Market,
    MarketRole,
    Organisation,
    ResponsiblePerson,
    RoleKind,
    Site,
)
from openqms.qms.registry import ORGANISATION

M = TypeVar("M", bound=models.Model)


def _text(data: dict[str, Any], field: str, *, required: bool = True, limit: int = 200) -> str:
    return clean_text(str(data.get(field) or ""), field, required=required, limit=limit)


def _value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _save(
    actor: User, model: type[M], obj: M | None, values: dict[str, Any], event: str, unique: str
) -> M:
    """Create `model` with `values`, or change `obj` to them; one event with old → new."""
    require(actor, ORGANISATION)
    if obj is not None:
        obj = model._default_manager.select_for_update().get(pk=obj.pk)
        if getattr(obj, "retired_at", None) is not None:
            raise TransitionNotAllowed(f"{obj} is retired; it cannot be changed.")
        before = {k: _value(getattr(obj, k)) for k in values}
    else:
        obj = model(**({"created_at": timezone.now()} if _has(model, "created_at") else {}))
        before = {}
    for k, v in values.items():
        setattr(obj, k, v)
    changes = audit.diff(before, {k: _value(v) for k, v in values.items()})
    if not changes:
        return obj
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        field = "number" if "number" in unique else "name"
        raise InvalidInput(unique, fields={field: unique}) from None
    audit.record(actor=actor, action=event, obj=obj, changes=changes)
    return obj


def _has(model: type[models.Model], field: str) -> bool:
    return any(f.name == field for f in model._meta.get_fields())


def _retire(actor: User, model: type[M], obj: M, reason: str, event: str) -> M:
    require(actor, ORGANISATION)
    reason = clean_text(reason, "reason", limit=1000)
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    if obj.retired_at is not None:  # type: ignore[attr-defined]
        raise TransitionNotAllowed(f"{obj} is already retired.")
    profile_field: dict[type[models.Model], str] = {
        ResponsiblePerson: "responsible_person",
        ApprovedBody: "approved_body",
    }
    named = profile_field.get(model)
    if named and Organisation.objects.filter(**{f"{named}_id": obj.pk}).exists():
        raise TransitionNotAllowed(
            f"{obj} is named in the organisation profile; change that first."
        )
    now = timezone.now()
    obj.retired_at, obj.retire_reason = now, reason  # type: ignore[attr-defined]
    obj.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor, action=event, obj=obj, reason=reason, changes={"retired_at": [None, now]}
    )
    return obj


@audit.writing()
def save_organisation(
    *,
    actor: User,
    legal_name: str,
    registered_address: str,
    based_in_uk: bool,
    responsible_person: ResponsiblePerson | None = None,
    approved_body: ApprovedBody | None = None,
) -> Organisation:
    for chosen, field in (
        (responsible_person, "responsible_person"),
        (approved_body, "approved_body"),
    ):
        if chosen is not None and chosen.retired:
            raise InvalidInput(f"{chosen} is retired.", fields={field: "Retired."})
    values = {
        "legal_name": clean_text(legal_name, "legal_name"),
        "registered_address": clean_text(registered_address, "registered_address", limit=1000),
        "based_in_uk": bool(based_in_uk),
        "responsible_person": responsible_person,
        "approved_body": approved_body,
        "updated_at": timezone.now(),
    }
    current = Organisation.objects.first()
    require(actor, ORGANISATION)
    if current is not None:
        unchanged = all(
            _value(getattr(current, k)) == _value(v) for k, v in values.items() if k != "updated_at"
        )
        if unchanged:
            return current
    return _save(
        actor,
        Organisation,
        current,
        values,
        "qms.organisation.saved",
        "The profile could not be saved.",
    )


@audit.writing()
def add_market_role(*, actor: User, market: str, role: str) -> MarketRole:
    require(actor, ORGANISATION)
    if market not in Market.values:
        raise InvalidInput("Choose a market.", fields={"market": "Choose one of the markets."})
    if role not in RoleKind.values:
        raise InvalidInput("Choose a role.", fields={"role": "Choose one of the roles."})
    if MarketRole.objects.filter(market=market, role=role, retired_at__isnull=True).exists():
        raise InvalidInput(
            "The organisation already has that role in that market.",
            fields={"role": "Already held."},
        )
    held = MarketRole.objects.create(market=market, role=role, created_at=timezone.now())
    audit.record(
        actor=actor,
        action="qms.market_role.added",
        obj=held,
        changes={"market": [None, market], "role": [None, role]},
    )
    return held


@audit.writing()
def retire_market_role(*, actor: User, market_role: MarketRole, reason: str) -> MarketRole:
    return _retire(actor, MarketRole, market_role, reason, "qms.market_role.retired")


@audit.writing()
def save_site(*, actor: User, site: Site | None = None, **data: Any) -> Site:
    values = {
        "name": _text(data, "name"),
        "address": _text(data, "address", limit=1000),
        "activities": _text(data, "activities", required=False, limit=2000),
    }
    return _save(actor, Site, site, values, "qms.site.saved", "A site with that name exists.")


@audit.writing()
def retire_site(*, actor: User, site: Site, reason: str) -> Site:
    return _retire(actor, Site, site, reason, "qms.site.retired")


@audit.writing()
def save_body(*, actor: User, body: ApprovedBody | None = None, **data: Any) -> ApprovedBody:
    kind = str(data.get("kind") or BodyKind.UK_APPROVED)
    if kind not in BodyKind.values:
        raise InvalidInput("Choose the kind of body.", fields={"kind": "Choose one."})
    values = {
        "name": _text(data, "name"),
        "number": _text(data, "number", required=False, limit=20),
        "kind": kind,
        "contact_name": _text(data, "contact_name", required=False),
        "email": _text(data, "email", required=False, limit=254),
        "phone": _text(data, "phone", required=False, limit=50),
        "address": _text(data, "address", required=False, limit=1000),
    }
    return _save(
        actor, ApprovedBody, body, values, "qms.body.saved", "A body of that kind has that number."
    )


@audit.writing()
def retire_body(*, actor: User, body: ApprovedBody, reason: str) -> ApprovedBody:
    return _retire(actor, ApprovedBody, body, reason, "qms.body.retired")


@audit.writing()
def save_responsible_person(
    *,
    actor: User,
    person: ResponsiblePerson | None = None,
    mandate: Document | None = None,
    **data: Any,
) -> ResponsiblePerson:
    values = {
        "name": _text(data, "name"),
        "address": _text(data, "address", limit=1000),
        "email": _text(data, "email", required=False, limit=254),
        "phone": _text(data, "phone", required=False, limit=50),
        "mandate": mandate,
    }
    return _save(
        actor, ResponsiblePerson, person, values, "qms.responsible_person.saved", "Not saved."
    )


@audit.writing()
def retire_responsible_person(
    *, actor: User, person: ResponsiblePerson, reason: str
) -> ResponsiblePerson:
    return _retire(actor, ResponsiblePerson, person, reason, "qms.responsible_person.retired")
