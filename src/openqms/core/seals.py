"""The seals of the audit events (core.keys): every event after the last checkpoint
must carry this instance's seal. Unsealed events are named apart from seals that do not
match, and an administrator may vouch for unsealed ones after a key outage
(`openqms audit checkpoint --accept-unsealed`, the event ACCEPTED).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings

from openqms.core import audit, keys
from openqms.core.models import AuditEvent

LISTED = 10  # events named one by one per kind of problem; the rest are counted


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)


ACCEPTED = "core.audit.unsealed_accepted"  # an administrator vouched for unsealed events
ACCEPT_HINT = (
    "If the audit key was unavailable when they were written, an administrator accepts "
    'them with `openqms audit checkpoint --accept-unsealed --reason "…"`.'
)


def _seals(after_seq: int, batch: int = 5000) -> Iterator[tuple[int, str, str]]:
    last = after_seq
    while True:
        rows = list(
            AuditEvent.objects.filter(seq__gt=last)
            .order_by("seq")
            .values_list("seq", "hash", "seal")[:batch]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def runs(seqs: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    found: list[tuple[int, int]] = []
    for seq in seqs:
        if found and found[-1][1] == seq - 1:
            found[-1] = (found[-1][0], seq)
        else:
            found.append((seq, seq))
    return found


def _span(first: int, last: int) -> str:
    return f"event #{first} carries" if first == last else f"events #{first}..#{last} carry"


def accepted(after_seq: int, key: keys.AuditKey) -> dict[int, int]:
    """unsealed seq -> the sealed acceptance event (seq > after_seq) that vouches for it."""
    found: dict[int, int] = {}
    rows = AuditEvent.objects.filter(action=ACCEPTED, seq__gt=after_seq).order_by("seq")
    for seq, event_hash, seal, changes in rows.values_list("seq", "hash", "seal", "changes"):
        if not hmac.compare_digest(seal.encode(), key.seal(event_hash).encode()):
            continue  # not written by OpenQMS: it vouches for nothing (and is named)
        try:
            ranges = [(int(a), int(b)) for a, b in json.loads(changes)["events"]]
        except (ValueError, KeyError, TypeError):
            continue
        for first, last in ranges:
            for unsealed in range(first, min(last, seq - 1) + 1):
                found.setdefault(unsealed, seq)
    return found


def unsealed_after(after_seq: int, *, pre_key_allowed: bool) -> list[int]:
    """The unsealed events after `after_seq` that need accepting (not those before the
    key existed, when `pre_key_allowed`)."""
    sealed_seen, found = not pre_key_allowed, []
    for seq, _hash, seal in _seals(after_seq):
        if seal:
            sealed_seen = True
        elif sealed_seen:
            found.append(seq)
    return found


def check_seals(
    after_seq: int,
    key: keys.AuditKey | None,
    *,
    pre_key_allowed: bool,
    found: Findings,
) -> None:
    """Events after `after_seq` carry this instance's seal. Unsealed ones are allowed
    only before any checkpoint and before the first sealed event (written before the key
    existed: a checkpoint then covers them), or when an administrator accepted them
    (ACCEPTED). Once one event is sealed, every later one must be."""
    if key is None:
        later = AuditEvent.objects.filter(seq__gt=after_seq)
        if not pre_key_allowed or later.exclude(seal="").exists():
            found.problem(
                f"no audit key: {settings.AUDIT_KEY} is missing or unreadable, so the seals "
                f"of the events after #{after_seq} cannot be checked."
            )
        return
    bad: list[int] = []
    unsealed: list[int] = []
    early: tuple[int, int] | None = None  # the first and last written before the key
    sealed_seen = not pre_key_allowed  # after a checkpoint the key existed
    for seq, event_hash, seal in _seals(after_seq):
        if not seal:
            if sealed_seen:
                unsealed.append(seq)
            else:
                early = (early[0] if early else seq, seq)
            continue
        sealed_seen = True
        # bytes: a seal someone wrote by hand need not be ASCII
        if not hmac.compare_digest(seal.encode(), key.seal(event_hash).encode()):
            bad.append(seq)
    for seq in bad[:LISTED]:
        found.problem(
            f"forged or altered seal: event #{seq}'s seal does not match this instance's key."
        )
    if len(bad) > LISTED:
        found.problem(
            f"forged or altered seals: {len(bad) - LISTED} more events after "
            f"#{bad[LISTED - 1]} have seals that do not match this instance's key either."
        )
    _check_unsealed(unsealed, after_seq, key, found)
    if early:
        found.note(
            f"events #{early[0]}..#{early[1]} were written before the audit key existed and "
            "no checkpoint covers them yet: run `openqms audit checkpoint`."
        )


def _check_unsealed(unsealed: list[int], after_seq: int, key, found: Findings) -> None:
    vouched = accepted(after_seq, key) if unsealed else {}
    named = runs([seq for seq in unsealed if seq not in vouched])
    for first, last in named[:LISTED]:
        found.problem(
            f"unsealed event: {_span(first, last)} no seal, though earlier events were "
            "sealed: written while the audit key was unavailable, or forged."
        )
    if len(named) > LISTED:
        found.problem(f"unsealed events: {len(named) - LISTED} more stretches carry no seal.")
    if named:
        found.note(ACCEPT_HINT)


def acceptance_notes(found: Findings) -> None:
    """Name every stretch of unsealed events an administrator accepted, and why."""
    rows = AuditEvent.objects.filter(action=ACCEPTED).order_by("seq")
    for seq, at, actor, changes, reason in rows.values_list(
        "seq", "at", "actor_name", "changes", "reason"
    ):
        try:
            spans = [_span(int(a), int(b)) for a, b in json.loads(changes)["events"]]
        except (ValueError, KeyError, TypeError):
            continue
        found.note(
            f"{'; '.join(spans)} no seal: accepted by event #{seq} "
            f"({audit.format_time(at)}, {actor}): {reason}"
        )
