"""Workflows as tables: states, transitions, guards, signatures, effects.

A module states its workflow once::

    REVIEW = Workflow(model=Revision, states=RevisionState, transitions=[
        Transition("submit", sources=("draft",), target="in_review",
                   permission="documents.revision:edit", event="documents.revision.submitted",
                   guards=(same_person("author", "Only the author submits their draft."),)),
        Transition("approve", sources=("in_review",), target="approved",
                   permission="documents.revision:approve", signature="approved",
                   event="documents.revision.approved",
                   guards=(different_person("author", "The author cannot approve it."),),
                   effects=(make_effective_if_due,)),
        Transition("make_effective", sources=("approved",), target="effective",
                   permission="", event="documents.revision.effective", system=True),
    ])

Its actions call `REVIEW.apply(obj=..., name="approve", actor=..., credentials=...)`,
which takes the step through core's one signed-step path (core.signing.perform: gates
before the password, re-authentication, one durable transaction, the audit chain's lock
and then the record's row taken, every rule checked again under the lock (the signer's
permissions and account read afresh), the signature bound
to the content the signer was shown, the state change and its audit event, then the
effects), or raises a domain error and changes nothing. `openqms tick` takes system
steps with `REVIEW.apply_system(obj=..., name=...)`, skipping rows another run moved.

Pages, the API and My tasks ask `REVIEW.available(obj, user)` which steps a person may
take now; none of them re-derives the rules.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

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
from openqms.core.signatures import Credentials, signing_refusal, void_signatures
from openqms.core.signing import perform, system_step

# A guard answers None when the step may go ahead, or the reason it may not. `actor` is
# None for a system step.
Guard = Callable[[Any, Any], str | None]
# An effect runs inside the step's transaction after the state changed (e.g. the
# training hook of a revision that came into force); it writes through audit.record.
Effect = Callable[[Any, Any], None]
# A preparation runs inside the step's transaction before the state changes (e.g.
# supersede the previous effective revision, which the database requires first); what it
# answers is added to the changes the step's audit event records.
Prepare = Callable[[Any, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str  # "" for a system step
    event: str
    label: str = ""
    signature: str | None = None
    reason_required: bool = False
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = field(default=())
    before: tuple[Prepare, ...] = ()
    # A date-time field set to now when the step is taken (e.g. "became_effective_at").
    stamp: str | None = None
    # Taken by `openqms tick`, never by a person (no permission, no signature).
    system: bool = False
    # The step sends the record back for change: the live signatures of its current
    # version no longer stand and are voided with this reason (core voids them; a module
    # never writes signatures itself).
    voids_signatures: str = ""
    # Taken only as part of another step, inside its transaction (`Workflow.cascade`):
    # e.g. the revision an approval supersedes. Never offered to a person on its own.
    cascade: bool = False


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
        if t.system and (t.permission or t.signature or len(t.sources) != 1):
            raise ValueError(f"system step {t.name!r}: one source, no permission, no signature")
        if t.cascade and t.signature:
            raise ValueError(f"step {t.name!r} is taken within another: it cannot be signed")
        if t.voids_signatures and t.signature:
            raise ValueError(f"step {t.name!r} cannot both sign and void signatures")
        # A person's step with no permission ("") is decided by its guards alone (e.g. only
        # the person assigned a training completes it: the assignment is the right).
        if not (t.system or t.cascade) and t.permission and t.permission not in permissions:
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

    def refusal(
        self, obj: Any, actor: User | None, t: Transition, *, gates: bool = True
    ) -> DomainError | None:
        """Why `actor` may not take step `t` on `obj` now (as the error to raise), or None.
        `actor` None is the system (`openqms tick`), which takes only system steps."""
        state = getattr(obj, self.field)
        if state not in t.sources:
            label = self.states(state).label if state in self.states.values else state
            return TransitionNotAllowed(
                f"“{t.label or t.name}” cannot be done while the record is {label}."
            )
        if t.cascade:
            return TransitionNotAllowed(f"“{t.label or t.name}” is taken as part of another step.")
        if t.system != (actor is None):
            who = "the system" if t.system else "a person"
            return TransitionNotAllowed(f"“{t.label or t.name}” is taken by {who}.")
        if actor is not None and t.permission and not has_permission(actor, t.permission):
            return PermissionRefused(
                f"You need the permission “{permissions.label(t.permission)}”."
            )
        for guard in t.guards:
            message = guard(obj, actor)
            if message:
                return TransitionNotAllowed(message)
        if gates and actor is not None and t.signature is not None:
            message = signing_refusal(signer=actor, obj=obj, meaning=t.signature)
            if message:
                return TransitionNotAllowed(message)
        return None

    def available(self, obj: Any, actor: User) -> list[Transition]:
        """The steps `actor` may take on `obj` now: what pages, the API and My tasks show."""
        return [
            t
            for t in self.transitions.values()
            if not (t.system or t.cascade) and self.refusal(obj, actor, t) is None
        ]

    def apply(
        self,
        *,
        obj: Any,
        name: str,
        actor: User,
        reason: str = "",
        credentials: Credentials | None = None,
        updates: dict[str, Any] | None = None,
        sign_updates: bool = False,
    ) -> Any:
        """Take step `name` through the one signed-step path. `updates` are further fields
        the step sets on the record (a decision taken with it); they are saved and audited
        with the state change. With `sign_updates` the signature covers the record with
        the updates applied (e.g. a submission's reference and date), while the content
        the signer was shown (its hash) is the record as stored."""
        t = self.get(name)
        updates = updates or {}

        def signed(locked: Any) -> Any:
            if not sign_updates:
                return locked
            updated = copy.copy(locked)
            for attr, value in updates.items():
                setattr(updated, attr, value)
            return updated

        def check(record: Any) -> DomainError | None:
            # The signing gates are asked by the signed-step path itself.
            error = self.refusal(record, actor, t, gates=False)
            if error is None and t.reason_required and not reason.strip():
                return InvalidInput("Give a reason for this step.", fields={"reason": "Required."})
            return error

        return perform(
            actor=actor,
            record=obj,
            check=check,
            meaning=t.signature,
            credentials=credentials,
            reason=reason,
            queryset=self.model._default_manager.all(),
            signed=signed,
            shown=lambda locked: locked.signature_content(),
            change=lambda locked, _: self._move(locked, t, actor, reason, updates),
        )

    def apply_system(self, *, obj: Any, name: str) -> Any | None:
        """Take system step `name` with no person; None (nothing written) when another
        run already moved the record or the step does not apply to it now."""
        t = self.get(name)
        return system_step(
            queryset=self.model._default_manager.all(),
            pk=obj.pk,
            claim_where={self.field: t.sources[0]},
            check=lambda record: self.refusal(record, None, t),
            change=lambda record: self._move(record, t, None, "", {}),
        )

    def cascade(
        self,
        *,
        obj: Any,
        name: str,
        actor: User | None,
        reason: str = "",
        changes: dict[str, Any] | None = None,
    ) -> Any:
        """Take step `name` as part of a step already under way (an effect of it), inside
        its transaction, on `obj` which the caller has locked. The table still decides:
        from the wrong state, or when a guard refuses, it raises. It needs no permission
        or signature of its own: the step that causes it was allowed and signed."""
        t = self.get(name)
        state = getattr(obj, self.field)
        if state not in t.sources:
            raise TransitionNotAllowed(f"“{t.label or t.name}” cannot follow from {state}.")
        for guard in t.guards:
            message = guard(obj, actor)
            if message:
                raise TransitionNotAllowed(message)
        return self._move(obj, t, actor, reason, {}, changes)

    def _move(
        self,
        obj: Any,
        t: Transition,
        actor: User | None,
        reason: str,
        updates: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> Any:
        old = getattr(obj, self.field)
        changes = audit.diff({k: getattr(obj, k) for k in updates}, updates)
        for prepare in t.before:
            changes |= prepare(obj, actor) or {}
        for attr, value in updates.items():
            setattr(obj, attr, value)
        setattr(obj, self.field, t.target)
        fields = [self.field, *updates]
        if t.stamp:
            setattr(obj, t.stamp, timezone.now())
            fields.append(t.stamp)
        obj.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=t.event,
            obj=obj,
            reason=reason.strip(),
            changes={self.field: [old, t.target], "step": t.name, **changes, **(extra or {})},
        )
        if t.voids_signatures:
            void_signatures(actor=actor, obj=obj, reason=t.voids_signatures)
        for effect in t.effects:
            effect(obj, actor)
        return obj
