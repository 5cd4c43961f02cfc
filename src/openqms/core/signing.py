"""One signed step: the only way a signature is given and a signed record changes.

Every signature in OpenQMS, and every state change of a signed record, goes through
`perform` (a person's step), `system_step` (a step `openqms tick` takes with no person)
or `bulk_step` (many rows closed at once, one audit event). A module states what its
step checks and changes; this path does the rest, always in this order:

1. ``check(record)`` and the signing gates, before the password: a refusal never counts
   as a failed signing (21 CFR 11.300(d) counts only attempts at a password);
2. re-authentication: the password again, and the code where enrolled (11.200(a));
3. one durable transaction;
4. the audit chain's lock is taken, then the record's row is locked (SELECT … FOR
   UPDATE; see "Lock order" below);
5. under the lock, everything is checked again: state, permission, guards, gates, and
   that the account is still active and not locked out (a parallel wrong password may
   have locked it since step 2);
6. the content the signer was shown (``credentials.content_hash``) must still be the
   content: if the record changed since, nothing is signed;
7. what is signed is saved (create-and-sign) and signed, bound to the SHA-256 of its
   content (11.70);
8. the caller's change and its audit events, in the same transaction.

The variants, with the module code they need::

    # (a) a transition of an existing record: declare it in a Workflow table
    #     (core.workflow), whose `apply` calls `perform` for you.
    REVIEW.apply(obj=revision, name="approve", actor=user, credentials=credentials)

    # (b) create-and-sign: `signed` builds the new record unsaved; the path saves it
    #     under the lock and signs it, then `change` finishes the step.
    perform(actor=user, record=document, meaning="reviewed", credentials=credentials,
            check=lambda doc: None if doc.reviewable else TransitionNotAllowed("…"),
            signed=lambda doc: PeriodicReview(document=doc, …),
            shown=lambda doc: effective_revision(doc).signature_content(),
            change=lambda doc, review: audit.record(…))

    # (c) a system step (no person): rows another run already moved are skipped.
    system_step(queryset=Revision.objects.all(), pk=pk, claim_where={"state": "approved"},
                change=lambda revision: ...)

    # (d) a bulk step: lock the rows, check each, change them with one audit event.
    bulk_step(actor=user, queryset=assignments, change=lambda rows: ...)

Lock order (PostgreSQL): the audit chain's lock is an advisory lock held to the end of
the transaction, and every step appends to the chain. So each step takes it first,
right after opening its transaction, and only then locks rows. Were it taken later (at
the first audit event), an approval holding it while its effects lock the superseded
revision's open assignments, and a trainee holding one of those assignments while
waiting for it to sign, would wait on each other: a deadlock. Every other writer keeps
the same order by opening its transaction with `audit.writing()`. The signer's account
is read under the chain lock, not row-locked: every change to an account's standing is
audited, so it has committed before the step or waits for it. On SQLite a writing
transaction already holds the one write lock.

Nothing outside core calls re-authentication or writes a signature; a source-reading
test (tests/core/test_house_rules.py) enforces it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import forget_permissions
from openqms.core.errors import (
    AccountLocked,
    DomainError,
    InvalidInput,
    TransitionNotAllowed,
)
from openqms.core.models import User
from openqms.core.signatures import (
    Credentials,
    content_hash,
    object_type_of,
    reauthenticate,
    signing_refusal,
    write_signature,
)

R = TypeVar("R")
Check = Callable[[Any], "DomainError | None"]

CHANGED_SINCE_SHOWN = "The record changed after you opened it; nothing was signed. Review it again."


def _no_check(record: Any) -> DomainError | None:
    return None


def _itself(record: Any) -> Any:
    return record


def signer_credentials(*, password: str, otp_code: str = "", content_hash: str = "") -> Credentials:
    """Credentials posted by a person from a page or the API: the content hash they were
    shown is required (checked by `perform` after the step's own checks, before the
    password), so a signature is always bound to what the signer saw."""
    return Credentials(password, otp_code, content_hash, hash_required=True)


def _require_shown(credentials: Credentials | None) -> None:
    if credentials is not None and credentials.hash_required and not credentials.content_hash:
        raise InvalidInput(
            "The signing form did not say which content you were shown, so nothing was "
            "signed. Reload the page and sign again.",
            fields={"content_hash": "Required."},
        )


def _raise(error: DomainError | None) -> None:
    if error is not None:
        raise error


def _gate(actor: User, obj: Any, meaning: str | None) -> None:
    if meaning is not None:
        refusal = signing_refusal(signer=actor, obj=obj, meaning=meaning)
        if refusal:
            raise TransitionNotAllowed(refusal)


def _current_account(actor: User) -> User:
    """Under the chain's lock: refuse an account that was deactivated or locked out since
    the password was checked (nothing is written).

    Every change to an account's standing (lockout, deactivation, a role granted or
    revoked) writes its audit event in its own transaction, so it commits either before
    this step took the chain's lock (and is seen here) or after this step commits. The
    account row is read, not locked: locking it here, after the chain, would wait on a
    sign-in holding that row while it waits for the chain.

    The permissions cached on `actor` were read before the password; a role revoked
    since must refuse the step, so the cache is dropped here and the re-check under the
    lock reads the current grants."""
    account = User.objects.get(pk=actor.pk)
    forget_permissions(actor)
    if not account.is_active:
        raise AccountLocked("Your account is deactivated; nothing was done.")
    if account.is_locked(timezone.now()):
        raise AccountLocked("Your account is locked; nothing was done.")
    return account


def _about(record: models.Model, meaning: str) -> dict[str, str]:
    """What a failed re-authentication was for, in its audit event: the trail says which
    record a failed attempt to sign was for, and with what meaning (21 CFR 11.10(e))."""
    return {
        "record_type": object_type_of(record),
        "record_id": str(record.pk),
        "record": str(record)[:200],
        "meaning": meaning,
    }


def perform(
    *,
    actor: User,
    record: models.Model,
    change: Callable[[Any, Any], R],
    check: Check = _no_check,
    meaning: str | None = None,
    credentials: Credentials | None = None,
    reason: str = "",
    signed: Callable[[Any], Any] = _itself,
    shown: Callable[[Any], dict[str, Any]] | None = None,
    queryset: models.QuerySet | None = None,
) -> R:
    """Take one step on `record` as `actor`, signed with `meaning` when given.

    `check(record)` answers the error that refuses the step (state, permission, guards),
    or None; it runs before the password and again under the lock. `signed(record)` is
    what the signature is given to: the record itself (default), or a new record built
    unsaved, which is saved under the lock before it is signed (create-and-sign).
    `shown(record)` is the content the signer was shown (default: what is signed); when
    `credentials.content_hash` is given it must still match. `change(locked, signed)`
    is the caller's change and audit events; its result is returned. `queryset` says how
    to load the record under the lock (e.g. with select_related).
    """
    _raise(check(record))
    if meaning is not None:
        _gate(actor, signed(record), meaning)  # a refusal here is not a failed signing
        _require_shown(credentials)
        reauthenticate(signer=actor, credentials=credentials, about=_about(record, meaning))
    with audit.writing():  # the chain lock first, before any row: see "Lock order" above
        qs = queryset if queryset is not None else type(record)._default_manager.all()
        # Lock the record's own row, not the rows it joins (its type, say).
        locked = qs.select_for_update(of=("self",)).get(pk=record.pk)
        _current_account(actor)
        _raise(check(locked))
        target = signed(locked)
        if meaning is not None:
            _gate(actor, target, meaning)
            seen = credentials.content_hash if credentials else ""
            now = (shown or (lambda r: target.signature_content()))(locked)
            if seen and seen != content_hash(now):
                raise TransitionNotAllowed(CHANGED_SINCE_SHOWN)
            if target._state.adding:
                target.save(force_insert=True)
            write_signature(signer=actor, obj=target, meaning=meaning, reason=reason)
        return change(locked, target)


def claim(queryset: models.QuerySet, pk: Any, **where: Any) -> Any | None:
    """Inside a transaction: take row `pk` while it still matches `where` (plain field
    values, e.g. state="approved"), or None when another run holds it or moved it.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED. SQLite (one writer at a time): a
    conditional UPDATE … WHERE, which waits for the other writer and then matches no
    row if that writer moved it."""
    rows = queryset.filter(pk=pk, **where)
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True).first()
    if not queryset.model._default_manager.filter(pk=pk, **where).update(**where):
        return None
    return rows.first()


def system_step(
    *,
    queryset: models.QuerySet,
    pk: Any,
    claim_where: dict[str, Any],
    change: Callable[[Any], R],
    check: Check = _no_check,
) -> R | None:
    """A step with no person (`openqms tick`): claim the row, check it, change it, in one
    durable transaction. Returns None, writing nothing, when another run already took or
    moved the row, or when `check` refuses it now."""
    with audit.writing():  # the chain lock first, before the row: see "Lock order" above
        row = claim(queryset, pk, **claim_where)
        if row is None or check(row) is not None:
            return None
        return change(row)


def bulk_step(
    *,
    actor: User | None,
    queryset: models.QuerySet,
    change: Callable[[Sequence[Any]], R],
    check: Check = _no_check,
    within: bool = False,
) -> R:
    """Change many rows in one step with one audit event (written by `change`): the rows
    are locked in primary-key order (no deadlock between two bulk steps), the actor's
    account too (None: a system step); rows `check` refuses are left out. `within`: the
    bulk step is part of a step already under way (e.g. the approval that supersedes a
    revision closes its open training) and runs inside that step's transaction."""
    with transaction.atomic(durable=not within):
        audit.lock_chain()  # first (held already `within` a step): see "Lock order" above
        if actor is not None:
            _current_account(actor)
        rows = [r for r in queryset.select_for_update().order_by("pk") if check(r) is None]
        return change(rows)
