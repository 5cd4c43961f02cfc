"""Checkpoints: the audit chain anchored outside the database (Part 11 §11.10(c)(e),
Annex 11 §7.1, §9).

The hash chain alone proves only that the trail agrees with itself: someone who can write
to the database (triggers dropped) can rewrite it whole with recomputed hashes, delete
events and renumber the rest, cut off the newest events, or append a forged one. So:

- every event is sealed (an HMAC of its hash under a key only the application holds,
  core.keys): a forged or rewritten event after the last checkpoint has no valid seal;
- `make_checkpoint` (each `openqms tick`, and `openqms audit checkpoint`) signs the
  chain's head (sequence number, hash, time, row counts per table) with the instance's
  Ed25519 key, stores it, and appends it to a log outside the database (and S3);
- `verify_anchored` checks the chain against every checkpoint, every log line and the
  keys, and names each kind of tampering it finds.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from openqms.core import audit, chain, checkpoint_log, keys
from openqms.core.anchor import (
    AnchorReport,
    Known,
    check_links_from,
    check_statements,
    signature_of,
    signature_problem,
    table_counts,
    verify_anchored,
)
from openqms.core.checkpoint_log import Entry
from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Checkpoint
from openqms.core.seals import (
    ACCEPT_HINT,
    ACCEPTED,
    Findings,
    check_seals,
    runs,
    unsealed_after,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX (a developer's Windows machine)
    fcntl = None  # type: ignore[assignment]

# What other modules use from here: the verification lives in core.anchor.
__all__ = [
    "AnchorReport",
    "Checkpoint",
    "CheckpointRefused",
    "make_checkpoint",
    "public_key_text",
    "table_counts",
    "tick",
    "verify_anchored",
]


class CheckpointRefused(DomainError):
    code = "checkpoint_refused"
    status = 409


def _key() -> keys.AuditKey:
    key = keys.current()
    if key is None:
        raise CheckpointRefused(
            f"No audit key at {settings.AUDIT_KEY}: make one with `openqms keys init` "
            "(or set OPENQMS_AUDIT_KEY to where it is)."
        )
    return key


def public_key_text() -> str:
    """What to give the auditor: the public half of the instance's audit key."""
    return _key().public_text


# --- Making a checkpoint ------------------------------------------------------------------
#
# The order of the commit and the log line. The row commits first; then, still under the
# log file's lock (so lines keep the checkpoints' order), its line is appended and
# fsynced, and the S3 object written.
# - Nothing is invented: a line is written only once its row has committed, so a line
#   whose row is not in the database means the row was deleted, and `verify_anchored`
#   says so. It still checks what the line states: under the chain lock, when it was
#   signed, the event at its seq had its hash; that stays true of an honest trail.
# - Nothing is lost silently: if the process dies or the disk fails between the commit
#   and the line, the error reaches the caller (the tick records core.job.failed), verify
#   names the row "not in the checkpoint log", and the next run appends every committed,
#   validly signed row the log lacks (`_publish_missing`) before it signs a new one.
# Writing the line before the commit would leave lines whose commit then failed, and
# those look exactly like rows deleted afterwards: a deletion could pass for a failure.


def make_checkpoint(
    *, append_missing: bool = False, accept_unsealed: str = ""
) -> Checkpoint | None:
    """Sign the chain's head; None when it has not moved since the last checkpoint.

    Refuses (CheckpointRefused) to sign a chain that does not hold since the previous
    checkpoint (links and seals): a checkpoint vouches for everything before it.
    Writes no audit event, or the head would move at every tick. `append_missing` first
    appends to the log every validly signed checkpoint it lacks (see _publish_missing).
    `accept_unsealed` (the administrator's reason, after a key outage) first records an
    audit event that names the unsealed events since the last checkpoint and vouches for
    them; that event is sealed and this checkpoint covers it.
    """
    key = _key()
    path = Path(settings.CHECKPOINT_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as log:
        if fcntl is not None:  # two ticks at once: one after the other
            fcntl.flock(log.fileno(), fcntl.LOCK_EX)
        _publish_missing(log, path, every_row=append_missing)
        checkpoint = _sign_head(key, accept_unsealed)
        if checkpoint is not None:
            _publish(log, Entry.of(checkpoint))
        _copy_missing_to_s3(checkpoint)  # after: a bucket that is down never stops signing
    return checkpoint


def tick() -> str:
    """The periodic job: a checkpoint when the head moved (none before the first key)."""
    if keys.current() is None:
        if audit.anchored():
            raise CheckpointRefused(audit.key_missing_text())
        return f"no audit key at {settings.AUDIT_KEY}: the trail is not anchored"
    made = make_checkpoint()
    if made is None:
        return "no new events since the last checkpoint"
    return f"checkpoint #{made.pk} signed: events up to #{made.seq}"


def _sign_head(key: keys.AuditKey, accept_unsealed: str = "") -> Checkpoint | None:
    with audit.writing():  # the chain lock: the head cannot move while it is signed
        last = Checkpoint.objects.order_by("-id").first()
        problem = last and signature_problem(Entry.of(last), keys.trusted_keys())
        if last is not None and problem:
            # never build on a row someone else wrote: its stretch would go unchecked
            raise CheckpointRefused(
                f"Refusing to sign a checkpoint: the last one, checkpoint #{last.pk}, "
                f"{problem}. Run `openqms audit verify`."
            )
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None or (last is not None and (last.seq, last.head_hash) == head):
            if accept_unsealed:
                raise CheckpointRefused("No unsealed events since the last checkpoint.")
            return None
        if accept_unsealed:
            head = _accept_unsealed(last, accept_unsealed)
        problems = _stretch_problems(last, head[0], key)
        if problems:
            hint = f" {ACCEPT_HINT}" if any(p.startswith("unsealed") for p in problems) else ""
            raise CheckpointRefused(
                "Refusing to sign a checkpoint: the audit trail does not hold since the "
                f"last checkpoint. {' '.join(problems)}{hint} Run `openqms audit verify`."
            )
        at = timezone.now()
        entry = Entry(
            head[0],
            head[1],
            audit.format_time(at),
            table_counts(),
            key.key_id,
            last.signature if last else "",
            "",
        )
        return Checkpoint.objects.create(
            seq=entry.seq,
            head_hash=entry.head_hash,
            at=at,
            counts=audit.canonical_json(entry.counts),
            key_id=entry.key_id,
            previous=entry.previous,
            signature=key.sign(entry.signed_text()),
        )


def _accept_unsealed(last: Checkpoint | None, reason: str) -> tuple[int, str]:
    """Record that the administrator vouches for the unsealed events since `last`; the
    new head. Runs under the chain lock, in the checkpoint's transaction."""
    if not reason.strip():
        raise CheckpointRefused("Accepting unsealed events needs a reason (--reason).")
    spans = runs(unsealed_after(last.seq if last else 0, pre_key_allowed=last is None))
    if not spans:
        raise CheckpointRefused("No unsealed events since the last checkpoint.")
    event = audit.record(
        actor=None,
        action=ACCEPTED,
        object_type="core.checkpoint",
        changes={"events": [list(span) for span in spans]},
        reason=reason.strip(),
    )
    return event.seq, event.hash


def _stretch_problems(last: Checkpoint | None, head_seq: int, key: keys.AuditKey) -> list[str]:
    """What does not hold after the last checkpoint (the whole chain before the first)."""
    found = Findings()
    if last is None:
        report = chain.verify_chain()
        if not report.ok:
            found.problem(f"broken chain: event #{report.broken_seq}: {report.problem}.")
    else:
        known = Known(Entry.of(last), row_id=last.pk, signed=True)
        check_statements([known], head_seq, found)
        if found.ok:
            check_links_from(known.entry, found)
    check_seals(last.seq if last else 0, key, pre_key_allowed=last is None, found=found)
    return found.problems


def _publish(log, entry: Entry) -> None:
    checkpoint_log.append(log, entry.line())
    if settings.CHECKPOINT_S3_BUCKET:
        checkpoint_log.put_s3(
            checkpoint_log.s3_client(),
            settings.CHECKPOINT_S3_BUCKET,
            settings.CHECKPOINT_S3_PREFIX,
            entry,
        )


def _publish_missing(log, path: Path, *, every_row: bool = False) -> None:
    """Append the committed checkpoints after the log's last line (a crash between a
    commit and its line); only rows signed by a known key, never a forged one.

    An empty log next to a database that holds checkpoints is not rebuilt from the
    database (a row deleted from both would vanish): refused, unless the administrator
    asks for `every_row` (`openqms audit checkpoint --append-missing`), which appends
    every validly signed row the log lacks."""
    rows = Checkpoint.objects.order_by("id")
    if every_row:
        logged = {signature_of(text) for _, text in checkpoint_log.lines(path)}
        rows = rows.exclude(signature__in=logged - {None})
    elif (last := checkpoint_log.last_line(path)) is not None:
        after = rows.filter(signature=signature_of(last)).values_list("id", flat=True)
        if not after:
            return  # an edited line, or its row is gone: verify names it
        rows = rows.filter(id__gt=after[0])
    elif rows.exists():
        raise CheckpointRefused(
            f"The checkpoint log {path} is empty but the database holds {rows.count()} "
            "checkpoint(s): restore the log (or point OPENQMS_CHECKPOINT_LOG at it). If it "
            "never held them (the server stopped right after the first checkpoint), run "
            "`openqms audit checkpoint --append-missing`."
        )
    trusted = keys.trusted_keys()
    for row in rows:
        entry = Entry.of(row)
        if signature_problem(entry, trusted) is None:
            _publish(log, entry)


def _copy_missing_to_s3(just_written: Checkpoint | None) -> None:
    """Write every validly signed checkpoint the write-once copy lacks: a run whose S3
    write failed (after its row and line) is caught up by the next one."""
    bucket, prefix = settings.CHECKPOINT_S3_BUCKET, settings.CHECKPOINT_S3_PREFIX
    if not bucket:
        return
    client = checkpoint_log.s3_client()
    there = set(checkpoint_log.s3_objects(client, bucket, prefix))
    trusted = keys.trusted_keys()
    rows = Checkpoint.objects.order_by("id")
    if just_written is not None:
        rows = rows.exclude(pk=just_written.pk)
    for row in rows:
        entry = Entry.of(row)
        missing = checkpoint_log.s3_key(prefix, entry) not in there
        if missing and signature_problem(entry, trusted) is None:
            checkpoint_log.put_s3(client, bucket, prefix, entry)
