"""A small declarative workflow engine: states, transitions as a table, guards, signatures.

A module states its workflow once::

    REVIEW = Workflow(model=Revision, states=RevisionState, transitions=[
        Transition("submit", sources=("draft",), target="in_review",
                   permission="documents.revision:edit", event="documents.revision.submitted",
                   guards=(is_author,)),
        Transition("approve", sources=("in_review",), target="approved",
                   permission="documents.revision:approve", signature="approved",
                   event="documents.revision.approved", guards=(not_author,)),
    ])

and its actions call `REVIEW.apply(obj=..., name="approve", actor=..., credentials=...)`,
which locks the row, re-checks every rule under the lock, signs, changes the state and
writes the audit event in one transaction, or raises TransitionNotAllowed and changes
nothing. A step taken from the wrong state, without the permission, failing a guard or
without a valid signature never happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import (
    DomainError,
    InvalidInput,
    PermissionRefused,
    TransitionNotAllowed,
)
from openqms.core.models import User
from openqms.core.registry import event_types, meanings, permissions
from openqms.core.signatures import (
    Credentials,
    apply_signature,
    reauthenticate,
    signing_refusal,
)

# A guard answers None when the step may go ahead, or the reason it may not.
Guard = Callable[[Any, User], str | None]
# An effect runs inside the step's transaction after the state changed (e.g. supersede
# the previous effective revision); it writes through audit.record like any action.
Effect = Callable[[Any, User], None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    event: str
    label: str = ""
    signature: str | None = None
    reason_required: bool = False
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = field(default=())


def different_person(attr: str, message: str) -> Guard:
    """Segregation of duties: the actor must not be the user held in `attr`."""

    def guard(obj: Any, actor: User) -> str | None:
        return message if getattr(obj, f"{attr}_id") == actor.pk else None

    return guard


def same_person(attr: str, message: str) -> Guard:
    def guard(obj: Any, actor: User) -> str | None:
        return None if getattr(obj, f"{attr}_id") == actor.pk else message

    return guard


class Workflow:
    def __init__(
        self,
        *,
        model: type[models.Model],
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        field: str = "state",
    ) -> None:
        self.model, self.states, self.field = model, states, field
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            self._validate(t)
            self.transitions[t.name] = t

    def _validate(self, t: Transition) -> None:
        values = set(self.states.values)
        if t.name in self.transitions:
            raise ValueError(f"transition {t.name!r} declared twice")
        if not set(t.sources) <= values or t.target not in values:
            raise ValueError(f"transition {t.name!r} names a state that does not exist")
        if t.permission not in permissions:
            raise ValueError(f"transition {t.name!r}: unknown permission {t.permission!r}")
        if t.event not in event_types:
            raise ValueError(f"transition {t.name!r}: unknown audit event {t.event!r}")
        if t.signature is not None and t.signature not in meanings:
            raise ValueError(f"transition {t.name!r}: unknown meaning {t.signature!r}")

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionNotAllowed(f"There is no step called “{name}”.") from None

    def refusal(self, obj: Any, actor: User, t: Transition) -> DomainError | None:
        """Why `actor` may not take step `t` on `obj` now (as the error to raise), or None."""
        state = getattr(obj, self.field)
        if state not in t.sources:
            label = self.states(state).label if state in self.states.values else state
            return TransitionNotAllowed(
                f"“{t.label or t.name}” cannot be done while the record is {label}."
            )
        if not has_permission(actor, t.permission):
            return PermissionRefused(
                f"You need the permission “{permissions.label(t.permission)}”."
            )
        for guard in t.guards:
            message = guard(obj, actor)
            if message:
                return TransitionNotAllowed(message)
        if t.signature is not None:
            message = signing_refusal(signer=actor, obj=obj, meaning=t.signature)
            if message:
                return TransitionNotAllowed(message)
        return None

    def available(self, obj: Any, actor: User) -> list[Transition]:
        return [t for t in self.transitions.values() if self.refusal(obj, actor, t) is None]

    def _check(self, obj: Any, actor: User, t: Transition, reason: str) -> None:
        error = self.refusal(obj, actor, t)
        if error is not None:
            raise error
        if t.reason_required and not reason.strip():
            raise InvalidInput("Give a reason for this step.", fields={"reason": "Required."})

    def apply(
        self,
        *,
        obj: Any,
        name: str,
        actor: User,
        reason: str = "",
        credentials: Credentials | None = None,
        updates: dict[str, Any] | None = None,
    ) -> Any:
        """Take step `name`. `updates` are further fields the step sets on the record (a
        decision taken with it); they are saved and audited with the state change."""
        t = self.get(name)
        updates = updates or {}
        # Check before asking for the password, so a refused step never counts as a
        # failed signing; then check again under the row lock, where it counts.
        self._check(obj, actor, t, reason)
        if t.signature is not None:
            reauthenticate(signer=actor, credentials=credentials)
        with transaction.atomic(durable=True):
            locked = self.model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
            self._check(locked, actor, t, reason)
            if t.signature is not None:
                apply_signature(
                    signer=actor,
                    obj=locked,
                    meaning=t.signature,
                    reason=reason,
                    seen_hash=credentials.content_hash if credentials else "",
                )
            old = getattr(locked, self.field)
            changes = audit.diff({k: getattr(locked, k) for k in updates}, updates)
            for attr, value in updates.items():
                setattr(locked, attr, value)
            setattr(locked, self.field, t.target)
            locked.save(update_fields=[self.field, *updates])
            audit.record(
                actor=actor,
                action=t.event,
                obj=locked,
                reason=reason.strip(),
                changes={self.field: [old, t.target], "step": t.name, **changes},
            )
            for effect in t.effects:
                effect(locked, actor)
        return locked
