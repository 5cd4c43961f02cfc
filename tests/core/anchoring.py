"""Helpers for the anchored-chain tests: events, checkpoints, and tampering done as
someone with database access would (protective triggers dropped). Tests run inside a
transaction, so the dropped triggers come back with its rollback (DDL is transactional
on both engines)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from openqms.core import audit, checkpoints
from openqms.core.models import AuditEvent
from openqms.core.triggers import drop_triggers
from openqms.testing import record_events


def checkpointed(*batches: int):
    """Record each batch of events, then a checkpoint after it; returns the checkpoints."""
    made = []
    for count in batches:
        record_events(count)
        made.append(checkpoints.make_checkpoint())
    return made


def tamper(sql: str, params=()) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rehash_from(seq: int) -> None:
    """Recompute every hash from event `seq` on, as a forger would after editing: the
    chain is consistent again (seals are left as they were: the forger has no key)."""
    drop_triggers(connection)
    previous = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").first()
    prev_hash = previous.hash if previous else audit.GENESIS_HASH
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev_hash
        event.hash = audit.hash_event(event)
        AuditEvent.objects.filter(seq=event.seq).update(prev_hash=event.prev_hash, hash=event.hash)
        prev_hash = event.hash


def forge_event(reason: str = "forged", seal: str = "") -> int:
    """Append an event with a correct chain hash, written without OpenQMS (no key)."""
    head = AuditEvent.objects.order_by("-seq").first()
    event = AuditEvent(
        seq=head.seq + 1,
        at=head.at,
        actor_name="system",
        action="core.user.updated",
        object_type="test.thing",
        object_id="1",
        changes="{}",
        reason=reason,
        prev_hash=head.hash,
        seal=seal,
    )
    event.hash = audit.hash_event(event)
    event.save(force_insert=True)
    return event.seq


def log_lines() -> list[str]:
    return settings.CHECKPOINT_LOG.read_text().splitlines()


def write_log(lines: list[str]) -> None:
    settings.CHECKPOINT_LOG.write_text("".join(f"{line}\n" for line in lines))


def problems_of(report) -> str:
    return "\n".join(report.problems)
