"""Device families' writers: define, edit, retire (qms.family:manage). A family is never
deleted: devices, certificates and scopes that named it keep naming it."""

from __future__ import annotations

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.qms.models import DeviceFamily
from openqms.qms.registry import FAMILIES


def _clean(code: str, name: str, description: str) -> dict[str, str]:
    code = clean_text(code, "code", limit=30).upper()
    if any(c.isspace() for c in code):
        raise InvalidInput(
            "A family code has no spaces (e.g. HR-SW).", fields={"code": "No spaces."}
        )
    return {
        "code": code,
        "name": clean_text(name, "name", limit=200),
        "description": clean_text(description, "description", required=False, limit=5000),
    }


@audit.writing()
def create_family(*, actor: User, code: str, name: str, description: str = "") -> DeviceFamily:
    require(actor, FAMILIES)
    data = _clean(code, name, description)
    if DeviceFamily.objects.filter(code__iexact=data["code"]).exists():
        raise InvalidInput(f"A family {data['code']} exists already.", fields={"code": "Taken."})
    family = DeviceFamily.objects.create(**data)
    audit.record(
        actor=actor,
        action="qms.family.saved",
        obj=family,
        changes={k: [None, v] for k, v in data.items()},
    )
    return family


@audit.writing()
def edit_family(
    *, actor: User, family: DeviceFamily, code: str, name: str, description: str = ""
) -> DeviceFamily:
    require(actor, FAMILIES)
    data = _clean(code, name, description)
    family = DeviceFamily.objects.select_for_update().get(pk=family.pk)
    if family.retired:
        raise TransitionNotAllowed("A retired family is not edited.")
    changes = audit.diff({k: getattr(family, k) for k in data}, data)
    if not changes:
        raise InvalidInput("Nothing changed.")
    taken = DeviceFamily.objects.filter(code__iexact=data["code"]).exclude(pk=family.pk)
    if taken.exists():
        raise InvalidInput(f"A family {data['code']} exists already.", fields={"code": "Taken."})
    for k, v in data.items():
        setattr(family, k, v)
    family.save()
    audit.record(actor=actor, action="qms.family.saved", obj=family, changes=changes)
    return family


@audit.writing()
def retire_family(*, actor: User, family: DeviceFamily, reason: str) -> DeviceFamily:
    require(actor, FAMILIES)
    reason = clean_text(reason, "reason", limit=2000)
    family = DeviceFamily.objects.select_for_update().get(pk=family.pk)
    if family.retired:
        raise TransitionNotAllowed("This family is retired already.")
    family.retired_at, family.retire_reason = timezone.now(), reason
    family.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="qms.family.retired",
        obj=family,
        changes={"retired": [False, True]},
        reason=reason,
    )
    return family
