"""Verifying the audit chain: every event, in order, its hash recomputed.

The events are read in keyset batches, so memory stays flat however long the trail.
On PostgreSQL the database rebuilds each event's canonical text (the SQL twin of
`audit.event_text`) and hashes it next to the data; on SQLite, Python does both from
the columns. Either way the stored hash is checked against content the check rebuilt itself,
and each event's link against the hash of the one before.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection

from openqms.core import chain_worker
from openqms.core.audit import GENESIS_HASH, HASHED_FIELDS, event_text
from openqms.core.models import AuditEvent

TABLE = AuditEvent._meta.db_table
_TEXT_COLUMNS = HASHED_FIELDS[3:]  # the text columns, actor_name to prev_hash

# `at` as audit.format_time writes it: UTC, microseconds, "+00:00".
_PG_AT = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
# Django keeps SQLite datetimes as naive UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
_SQLITE_AT = (
    "substr(at, 1, 10) || 'T' || substr(at, 12, 8) || '.' || "
    "substr(substr(at, 21) || '000000', 1, 6) || '+00:00'"
)


def _part(expr: str) -> str:
    return f"length(CAST({expr} AS TEXT)) || ':' || CAST({expr} AS TEXT)"


def _event_text_sql(at: str) -> str:
    """audit.event_text, in SQL: the same fields, order and `<length>:<text>` parts."""
    return " || ".join(
        [
            _part("seq"),
            _part(at),
            f"COALESCE({_part('actor_id')}, '~')",
            *(_part(column) for column in _TEXT_COLUMNS),
        ]
    )


# Built only from the constants above: no input reaches this SQL but its parameters.
_QUERIES = {
    "postgresql": (
        "SELECT seq, prev_hash, hash, "
        f"encode(sha256(convert_to({_event_text_sql(_PG_AT)}, 'UTF8')), 'hex') "
        f"FROM {TABLE} WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s"
    ),
    # SQLite's own string building is slower than Python's: fetch the columns (with `at`
    # already as canonical text) and let audit.event_text build the text.
    "sqlite": (
        f"SELECT seq, {_SQLITE_AT}, actor_id, {', '.join(_TEXT_COLUMNS)}, hash "
        f"FROM {TABLE} WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s"
    ),
}


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    broken_seq: int | None = None
    problem: str = ""

    def summary(self) -> str:
        if self.ok:
            return (
                f"audit chain intact: {self.checked} events, last #{self.last_seq} "
                f"{self.last_hash[:16]}…"
            )
        return f"audit chain BROKEN at event #{self.broken_seq}: {self.problem}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "broken_seq": self.broken_seq,
            "problem": self.problem,
        }


_NO_END = 2**62


def _batches(sql: str, start: int, stop: int, batch: int) -> Iterator[list[tuple]]:
    last = start
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, stop, batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def iter_links(
    *, start: int = 0, stop: int = _NO_END, batch: int = 5000
) -> Iterator[tuple[int, str, str, str]]:
    """(seq, stored prev_hash, stored hash, hash recomputed from content) for the events
    start < seq <= stop, in seq order."""
    sql = _QUERIES[connection.vendor]
    if connection.vendor == "postgresql":
        for rows in _batches(sql, start, stop, batch):
            yield from rows
        return
    sha256 = hashlib.sha256
    for rows in _batches(sql, start, stop, batch):
        for row in rows:
            yield row[0], row[11], row[12], sha256(event_text(*row[:12]).encode()).hexdigest()


@dataclass(frozen=True)
class _Stretch:
    """What one walk over consecutive events found."""

    first_seq: int | None  # the first event seen, and the link it carries, which
    first_prev: str | None  # the caller checks against the stretch before
    checked: int
    last_seq: int
    last_hash: str
    broken_seq: int | None = None
    problem: str = ""


def _walk(
    links: Iterable[tuple[int, str, str, str]], first_seq: int, prev_hash: str | None
) -> _Stretch:
    """Check events from `first_seq` on; `prev_hash=None` takes the first link on trust."""
    expected_seq, checked = first_seq, 0
    seen: tuple[int | None, str | None] = (None, None)
    for seq, prev, stored, recomputed in links:
        if checked == 0:
            seen = (seq, prev)
            if prev_hash is None:
                prev_hash = prev
        if seq != expected_seq or prev != prev_hash or stored != recomputed:
            # prev_hash is set by now (the first link sets it); `or ""` is for the checker
            broken_seq, problem = _what_is_wrong(seq, expected_seq, prev, prev_hash or "")
            return _Stretch(*seen, checked, expected_seq - 1, prev_hash or "", broken_seq, problem)
        prev_hash, expected_seq, checked = stored, seq + 1, checked + 1
    return _Stretch(*seen, checked, expected_seq - 1, prev_hash or "")


def verify_chain(
    links: Iterable[tuple[int, str, str, str]] | None = None,
    *,
    workers: int = 1,
    parallel_from: int = 200_000,
) -> ChainReport:
    """Walk the chain in order; stop at the first event that does not hold.

    With `workers` > 1 and at least `parallel_from` events, stretches of the chain are
    checked in that many processes at once and joined at their ends (each event carries
    its predecessor's hash, so a stretch needs nothing from the others but that link).
    Only committed events are visible to those processes, so the caller must not be in a
    transaction; inside one (as in tests), the walk stays in this process.
    """
    if links is not None:
        return _report(_walk(links, 1, GENESIS_HASH), 0, GENESIS_HASH)
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if workers <= 1 or head < parallel_from or connection.in_atomic_block:
        return _report(_walk(iter_links(), 1, GENESIS_HASH), 0, GENESIS_HASH)
    bounds = [head * k // workers for k in range(workers + 1)]
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "openqms.settings")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=chain_worker.start,
        initargs=(settings_module, dict(connection.settings_dict)),
    ) as pool:
        stretches = list(pool.map(chain_worker.walk, bounds[:-1], bounds[1:]))
    return _join(stretches, bounds)


def verify_from(seq: int, prev_hash: str) -> ChainReport:
    """Check only the events after `seq`, the first of them linking to `prev_hash` (the
    head a checkpoint signed): the daily check, as fast as the events are few."""
    return _report(_walk(iter_links(start=seq), seq + 1, prev_hash), 0, prev_hash)


def walk_range(start: int, stop: int) -> _Stretch:
    """Check the events start < seq <= stop, taking the first one's link on trust."""
    return _walk(iter_links(start=start, stop=stop), start + 1, None)


def _join(stretches: list[_Stretch], bounds: list[int]) -> ChainReport:
    checked, prev_hash = 0, GENESIS_HASH
    for i, stretch in enumerate(stretches):
        start, stop = bounds[i], bounds[i + 1]
        if stretch.first_seq == start + 1 and stretch.first_prev != prev_hash:
            problem = "its link to the previous event does not match (removed or swapped)"
            return ChainReport(False, checked, start, prev_hash, start + 1, problem)
        if stretch.broken_seq is not None:
            return _report(stretch, checked, prev_hash)
        checked += stretch.checked
        prev_hash = stretch.last_hash if stretch.checked else prev_hash
        if stretch.last_seq != stop:  # the stretch ended early: its last events are gone
            found = next((s.first_seq for s in stretches[i + 1 :] if s.first_seq), None)
            if found is None:  # nothing after it either: the chain simply ends here
                return ChainReport(True, checked, stretch.last_seq, prev_hash)
            missing = stretch.last_seq + 1
            problem = f"event #{missing} is missing (found #{found} next)"
            return ChainReport(False, checked, stretch.last_seq, prev_hash, missing, problem)
    return ChainReport(True, checked, bounds[-1], prev_hash)


def _report(stretch: _Stretch, checked_before: int, prev_hash: str) -> ChainReport:
    """A stretch's finding as a report on the whole chain up to it."""
    last_hash = stretch.last_hash if stretch.checked else prev_hash
    return ChainReport(
        stretch.broken_seq is None,
        checked_before + stretch.checked,
        stretch.last_seq,
        last_hash,
        stretch.broken_seq,
        stretch.problem,
    )


def _what_is_wrong(seq: int, expected_seq: int, prev: str, prev_hash: str) -> tuple[int, str]:
    if seq != expected_seq:
        what = "missing" if seq > expected_seq else "out of order"
        return expected_seq, f"event #{expected_seq} is {what} (found #{seq} next)"
    if prev != prev_hash:
        return seq, "its link to the previous event does not match (removed or swapped)"
    return seq, "its content was altered after it was written"
