"""Retention rules, legal holds and signed dispositions for every record class (ISO 13485
4.2.5). The only writers of RetentionRule, RecordHold and RecordDisposition."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from openqms.core import audit, modules, retention
from openqms.core.access import has_permission, require
from openqms.core.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    PermissionRefused,
    TransitionNotAllowed,
)
from openqms.core.models import (
    CountedFrom,
    RecordDisposition,
    RecordHold,
    RetentionRule,
    User,
)
from openqms.core.modules import RecordClass
from openqms.core.registry import RETENTION_MANAGE, permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text

RULE_FIELDS = ("years", "counted_from", "regulation", "minimum_years")
MAX_YEARS = 200


def _class(code: str) -> RecordClass:
    try:
        return retention.record_class(code)
    except LookupError:
        raise NotFound(f"There is no record class “{code}”.") from None


def _rule_values(rule: retention.Rule) -> dict:
    return {
        "years": rule.years,
        "counted_from": rule.counted_from,
        "regulation": rule.regulation,
        "minimum_years": rule.regulation_minimum,
    }


def _check_rule(cls: RecordClass, years: int, counted_from: str, minimum_years: int) -> None:
    if counted_from not in CountedFrom.values:
        raise InvalidInput(
            "Choose what retention is counted from.",
            fields={"counted_from": f"One of: {', '.join(CountedFrom.values)}."},
        )
    for name, value in (("years", years), ("minimum_years", minimum_years)):
        if not 0 <= value <= MAX_YEARS:
            raise InvalidInput(
                f"Years must be between 0 and {MAX_YEARS}.",
                fields={name: f"Between 0 and {MAX_YEARS}."},
            )
    floor = max(cls.minimum_years, minimum_years)
    if years and years < floor:  # 0 keeps for ever, which is never too short
        why = f"the minimum for {cls.label} is {floor} years"
        raise InvalidInput(
            f"Retention cannot be {years} year{'' if years == 1 else 's'}: {why}.",
            fields={"years": f"At least {floor} years (or 0: kept for ever)."},
        )


@audit.writing()
def set_retention_rule(
    *,
    actor: User,
    code: str,
    years: int,
    counted_from: str,
    reason: str,
    regulation: str = "",
    minimum_years: int = 0,
) -> RetentionRule:
    """Change a class's rule, never below its minimum (nor the named regulation's)."""
    require(actor, RETENTION_MANAGE)
    cls = _class(code)
    reason = clean_text(reason, "reason", limit=4000)
    regulation = clean_text(regulation, "regulation", limit=200, required=False)
    _check_rule(cls, years, counted_from, minimum_years)
    old = _rule_values(retention.rule(cls))
    new = {
        "years": years,
        "counted_from": counted_from,
        "regulation": regulation,
        "minimum_years": minimum_years,
    }
    if old == new and RetentionRule.objects.filter(record_class=code).exists():
        raise InvalidInput("Nothing to change: the rule already says this.")
    row, _ = RetentionRule.objects.select_for_update().update_or_create(
        record_class=code,
        defaults={**new, "changed_by": actor, "changed_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        action="core.retention.rule_changed",
        object_type="core.retentionrule",
        object_id=code,
        reason=reason,
        changes={name: [old[name], new[name]] for name in RULE_FIELDS},
    )
    return row


# -- the record a hold or a disposition is about -------------------------------------------


def record_model(object_type: str) -> type[models.Model]:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        raise NotFound(f"There is no record type “{object_type}”.") from None


def get_record(cls: RecordClass, object_id: str) -> models.Model:
    """The record itself (NotFound if there is none with this id)."""
    model = record_model(cls.model or cls.object_type)
    try:
        return model._default_manager.get(pk=object_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound(f"There is no record {object_id} of {cls.label}.") from None


def _generic(cls: RecordClass) -> None:
    if cls.own_controls:
        raise TransitionNotAllowed(
            f"{cls.label} keep their own legal holds and disposal: use the module's page."
        )


def label_of(cls: RecordClass, object_id: str, viewer: User) -> str:
    refs = modules.record_refs(viewer, [(cls.object_type, object_id)])
    ref = refs.get((cls.object_type, object_id))
    return ref.label if ref else f"{cls.label} {object_id}"


@audit.writing()
def place_hold(*, actor: User, code: str, object_id: str, reason: str) -> RecordHold:
    require(actor, RETENTION_MANAGE)
    cls = _class(code)
    _generic(cls)
    reason = clean_text(reason, "reason", limit=4000)
    record = get_record(cls, object_id)
    key = {"object_type": cls.object_type, "object_id": str(record.pk)}
    if RecordDisposition.objects.filter(**key).exists():
        raise TransitionNotAllowed(f"{label_of(cls, key['object_id'], actor)} was disposed of.")
    hold = RecordHold.objects.create(
        record_class=code, **key, reason=reason, placed_by=actor, placed_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="core.hold.placed",
        **key,
        reason=reason,
        changes={"hold": [None, hold.pk], "record_class": code},
    )
    return hold


@audit.writing()
def release_hold(*, actor: User, hold: RecordHold, reason: str) -> RecordHold:
    require(actor, RETENTION_MANAGE)
    reason = clean_text(reason, "reason", limit=4000)
    hold = RecordHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise TransitionNotAllowed("This hold was already released.")
    hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor, reason
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    audit.record(
        actor=actor,
        action="core.hold.released",
        object_type=hold.object_type,
        object_id=hold.object_id,
        reason=reason,
        changes={"hold": [hold.pk, None], "record_class": hold.record_class},
    )
    return hold


def retention_end(cls: RecordClass, object_id: str) -> dt.date | None:
    closed = retention.closed_on(cls, [object_id])[object_id]
    return retention.ends(cls, cls.object_type, object_id, closed)


def _unknown_dates(cls: RecordClass, object_id: str) -> str:
    devices = modules.devices_of(cls.object_type, [object_id]).get(object_id, ())
    return retention.unknown_dates(devices)


def disposal_refusal(cls: RecordClass, object_id: str, user: User) -> DomainError | None:
    """Why `user` may not dispose of the record now, or None (the page asks it too)."""
    if not has_permission(user, RETENTION_MANAGE):
        return PermissionRefused(
            f"You need the permission “{permissions.label(RETENTION_MANAGE)}”."
        )
    if cls.own_controls:
        return TransitionNotAllowed(f"{cls.label} are disposed of on the module's own page.")
    key = {"object_type": cls.object_type, "object_id": object_id}
    name = label_of(cls, object_id, user)
    if RecordDisposition.objects.filter(**key).exists():
        return TransitionNotAllowed(f"{name} was already disposed of.")
    ends = retention_end(cls, object_id)
    rule = retention.rule(cls)
    if ends is None and rule.years and (why := _unknown_dates(cls, object_id)):
        return TransitionNotAllowed(f"{name} must be kept: {why} (rule: {rule.text}).")
    if ends is None or ends > timezone.localdate():
        when = f"until {ends:%d %b %Y}" if ends else "while in use, or for ever"
        return TransitionNotAllowed(f"{name} must be kept {when} (rule: {rule.text}).")
    if RecordHold.objects.filter(**key, released_at__isnull=True).exists():
        return TransitionNotAllowed(f"{name} is under a legal hold.")
    return None


def disposal_content(cls: RecordClass, object_id: str, viewer: User) -> dict:
    """What the person disposing is shown and signs for (the page shows its hash)."""
    ends = retention_end(cls, object_id)
    return {
        "record_class": cls.code,
        "record": [cls.object_type, object_id],
        "label": label_of(cls, object_id, viewer),
        "retention_ended": ends.isoformat() if ends else None,
    }


def dispose_record(
    *, actor: User, code: str, object_id: str, reason: str, credentials: Credentials | None
) -> RecordDisposition:
    """A signed disposition (create-and-sign, meaning "disposed"), allowed once retention
    has run out and no hold applies. The record itself stays; what the organisation
    destroys outside OpenQMS is its own decision, recorded here."""
    require(actor, RETENTION_MANAGE)
    cls = _class(code)
    reason = clean_text(reason, "reason", limit=4000)
    record = get_record(cls, object_id)
    object_id = str(record.pk)

    def signed(locked: models.Model) -> RecordDisposition:
        ends = retention_end(cls, object_id)
        return RecordDisposition(
            record_class=code,
            object_type=cls.object_type,
            object_id=object_id,
            label=label_of(cls, object_id, actor)[:300],
            reason=reason,
            retention_ended=ends,  # type: ignore[misc]  # checked: not None
            disposed_by=actor,
            disposed_at=timezone.now(),
        )

    return perform(
        actor=actor,
        record=record,
        check=lambda _: disposal_refusal(cls, object_id, actor),
        meaning="disposed",
        credentials=credentials,
        reason=reason,
        signed=signed,
        shown=lambda _: disposal_content(cls, object_id, actor),
        change=lambda _, disposition: _disposed(actor, disposition),
    )


def _disposed(actor: User, disposition: RecordDisposition) -> RecordDisposition:
    audit.record(
        actor=actor,
        action="core.record.disposed",
        object_type=disposition.object_type,
        object_id=disposition.object_id,
        reason=disposition.reason,
        changes={
            "disposition": [None, disposition.pk],
            "record_class": disposition.record_class,
            "retention_ended": disposition.retention_ended,
        },
    )
    return disposition
