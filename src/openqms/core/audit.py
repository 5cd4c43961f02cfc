"""The audit trail: append one hash-chained event.

Each event's hash is SHA-256 over a canonical text of its fields, the previous event's
hash included, so changing, removing or reordering any stored event breaks the chain at
that event; `openqms.core.chain.verify_chain` names the first one that no longer holds.
Each event is also sealed (an HMAC of its hash under a key only the application holds,
core.keys), and core.checkpoints signs the chain's head from time to time, so a chain
rewritten or extended by someone with only database access is told apart as well.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.transaction import Atomic
from django.utils import timezone

from openqms.core import keys, modules
from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Checkpoint, User
from openqms.core.registry import event_types

GENESIS_HASH = "0" * 64
# Serialize appends on PostgreSQL: one advisory lock key held to the end of the
# writing transaction. SQLite's IMMEDIATE transactions already serialize writers.
_PG_CHAIN_LOCK = 0x0A0D17  # arbitrary, constant


@dataclass(frozen=True)
class Origin:
    ip: str = ""
    user_agent: str = ""
    # The API token a request authenticated with ("#id prefix"), recorded in front of the
    # user agent: that field is already hashed, so the chain format stays as it was and
    # events written before tokens were named verify unchanged.
    token: str = ""

    def recorded_agent(self) -> str:
        agent = _neutral_agent(self.user_agent)
        if self.token:
            return f"[api token {self.token}] {agent}"[:300]
        return agent[:300]


# A client chooses its User-Agent: one that starts like the token marker above would
# name a token in the trail that the request never used. Such text is marked as the
# client's own, so only the server writes a leading "[api token".
_TOKEN_MARKER = re.compile(r"[\W_]*api[\W_]*token", re.IGNORECASE)


def _neutral_agent(agent: str) -> str:
    if _TOKEN_MARKER.match(agent):
        return f"(user agent) {agent}"
    return agent


_NO_ORIGIN = Origin()
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("openqms_origin")


def set_origin(origin: Origin) -> contextvars.Token:
    return _origin.set(origin)


def reset_origin(token: contextvars.Token) -> None:
    _origin.reset(token)


def current_origin() -> Origin:
    return _origin.get(_NO_ORIGIN)


def _plain(value: Any) -> Any:
    """Turn a value into plain JSON data, the same way every time."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical_json(data: Any) -> str:
    return json.dumps(_plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


# The fields an event's hash covers, in the order the canonical text writes them.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "changes",
    "reason",
    "ip",
    "user_agent",
    "prev_hash",
)


def event_text(
    seq: int,
    at: str,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    changes: str,
    reason: str,
    ip: str,
    user_agent: str,
    prev_hash: str,
) -> str:
    """The canonical text of one event: every field as `<length>:<text>`, order fixed.

    Lengths count characters, so no field can run into the next; a missing actor is `~`.
    `openqms.core.chain` builds the very same text in SQL on PostgreSQL.
    """
    s = str(seq)
    a = "~" if actor_id is None else f"{len(str(actor_id))}:{actor_id}"
    return (
        f"{len(s)}:{s}{len(at)}:{at}{a}{len(actor_name)}:{actor_name}{len(action)}:{action}"
        f"{len(object_type)}:{object_type}{len(object_id)}:{object_id}"
        f"{len(changes)}:{changes}{len(reason)}:{reason}{len(ip)}:{ip}"
        f"{len(user_agent)}:{user_agent}{len(prev_hash)}:{prev_hash}"
    )


def lock_chain() -> None:
    """Take the chain's lock for the rest of the transaction (PostgreSQL; reentrant).
    core.signing takes it before any record row, so two steps always lock in the same
    order (chain, then rows) and cannot wait on each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])


class _Writing(Atomic):
    """A durable transaction that takes the chain's lock before anything else."""

    def __enter__(self) -> None:
        super().__enter__()
        lock_chain()


def writing() -> Atomic:
    """The transaction of every action that writes regulated data, as a decorator or a
    `with` block: durable (the outermost transaction, so it commits when it ends) and
    holding the chain lock from its first statement. Every writer then locks in one
    order — the chain, then rows — so two actions can never wait on each other's rows
    (a deadlock PostgreSQL would answer with an error). On SQLite, IMMEDIATE
    transactions already serialize writers and the lock is a no-op."""
    return _Writing(DEFAULT_DB_ALIAS, savepoint=True, durable=True)


def _system_name(origin: Origin) -> str:
    """Who acted when no user did: the system, and the command that made it act."""
    if origin.user_agent and not origin.ip:
        return f"system ({origin.user_agent})"[:250]
    return "system"


def record(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (the regulated change)."""
    event_types.get(action)  # refuse undeclared codes
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
    _refuse_nested_health(object_type, changes)
    lock_chain()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    origin = _origin.get(_NO_ORIGIN)
    event = AuditEvent(
        seq=seq,
        at=timezone.now(),
        actor=actor,
        actor_name=actor_name or (actor.full_name if actor else _system_name(origin)),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=canonical_json(changes or {}),
        reason=reason,
        ip=origin.ip,
        user_agent=origin.recorded_agent(),
        prev_hash=prev_hash,
    )
    event.hash = hash_event(event)
    key = keys.current()
    if key is not None:
        event.seal = key.seal(event.hash)
    elif anchored():  # fail closed: an unsealed event would read as forged
        raise AuditKeyMissing(key_missing_text())
    # else no key yet: unsealed, until a checkpoint covers it
    event.save(force_insert=True)
    return event


def _keys_below(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_below(v)}
    if isinstance(value, list | tuple):
        return {k for v in value for k in _keys_below(v)}
    return set()


def _refuse_nested_health(object_type: str, changes: dict[str, Any] | None) -> None:
    """The trail masks a health-data field only at the top level of `changes`
    (core.confidentiality): one recorded further down would be shown in clear, so it is
    refused, a programming error in the module, before anything is written."""
    fields = set(modules.health_fields(object_type))
    if not fields or not changes:
        return
    for name, value in changes.items():
        if nested := sorted(_keys_below(value) & fields):
            raise ValueError(
                f"Health-data field {', '.join(nested)} of {object_type} is nested under "
                f"“{name}” in the audit event's changes: record it at the top level, "
                "where the trail masks it."
            )


class AuditKeyMissing(DomainError):
    code = "audit_key_missing"
    status = 503


def anchored() -> bool:
    """The trail is anchored: it has a checkpoint or a sealed event, so the audit key
    existed and every new event must be sealed."""
    return Checkpoint.objects.exists() or AuditEvent.objects.exclude(seal="").exists()


def key_missing_text() -> str:
    return (
        f"The audit key {settings.AUDIT_KEY} cannot be loaded ({keys.unusable_because()}), "
        "but this instance's trail is anchored (it has checkpoints or sealed events): "
        "events written now could not be sealed. Restore the key file, or point "
        "OPENQMS_AUDIT_KEY at it."
    )


def key_problem() -> str | None:
    """Why no event can be written now (serve and tick refuse to start), or None."""
    if keys.current() is not None or not anchored():
        return None
    return key_missing_text()


def hash_event(event: AuditEvent) -> str:
    return hashlib.sha256(
        event_text(
            event.seq,
            format_time(event.at),
            event.actor_id,
            event.actor_name,
            event.action,
            event.object_type,
            event.object_id,
            event.changes,
            event.reason,
            event.ip,
            event.user_agent,
            event.prev_hash,
        ).encode()
    ).hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level changes {field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
