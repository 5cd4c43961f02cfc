"""Property: whatever someone with database access (or write access to the checkpoint
log) changes, and wherever, the full check finds it; the daily check finds every change
to the trail that reaches the newest checkpoint or what came after it."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.core import checkpoints
from openqms.core.models import Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import (
    checkpointed,
    delete_checkpoint,
    forge_event,
    log_lines,
    rehash_from,
    tamper,
    write_log,
)

EVENTS = 15  # checkpoints after #4, #8 and #12, then three events none covers yet
LAST_CHECKPOINT = 12


class _Undo(Exception):
    pass


@pytest.fixture
def anchored(db):
    checkpointed(4, 4, 4)
    record_events(EVENTS - LAST_CHECKPOINT)
    return log_lines()


def rewrite(seq):
    tamper("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq = %s", [seq])
    rehash_from(seq)


def renumber(seq):
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [seq])
    tamper("UPDATE core_auditevent SET seq = seq - 1 WHERE seq > %s", [seq])
    rehash_from(seq)


def truncate(seq):
    tamper("DELETE FROM core_auditevent WHERE seq > %s", [seq])


def edit(seq):
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = %s", [seq])


def edit_log(line, lines):
    def apply(where):
        changed = list(lines)
        data = json.loads(changed[line])
        data[where] = data[where] + 1 if where == "seq" else "0" * 64
        changed[line] = json.dumps(data)
        write_log(changed)

    return apply


TRAIL = {  # changes to the trail, and the events they may hit
    "rewrite": (rewrite, st.integers(1, EVENTS)),
    "renumber": (renumber, st.integers(1, EVENTS - 1)),
    "truncate": (truncate, st.integers(1, LAST_CHECKPOINT - 1)),
    "forge": (lambda _: forge_event(), st.just(0)),
}
CAUGHT_DAILY = {"rewrite", "renumber", "truncate", "forge"}


def _reports(change):
    """Apply one change in a savepoint (and to the log), verify both ways, undo it."""
    reports = []
    saved = log_lines()
    try:
        with transaction.atomic():
            change()
            reports += [
                checkpoints.verify_anchored(),
                checkpoints.verify_anchored(since_checkpoint=True),
            ]
            raise _Undo
    except _Undo:
        pass
    finally:
        write_log(saved)
    return reports


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=st.data(), kind=st.sampled_from(sorted(TRAIL)))
def test_any_change_to_the_trail_is_found(anchored, data, kind):
    change, where = TRAIL[kind]
    seq = data.draw(where)
    full, daily = _reports(lambda: change(seq))
    assert not full.ok, (kind, seq)
    if kind in CAUGHT_DAILY:
        assert not daily.ok, (kind, seq)


@SETTINGS
@given(seq=st.integers(1, EVENTS))
def test_an_edit_without_new_hashes_is_found_where_it_was_made(anchored, seq):
    full, daily = _reports(lambda: edit(seq))
    assert full.problems[0].startswith(f"broken chain: event #{seq}: ")
    assert daily.ok == (seq <= LAST_CHECKPOINT)  # before the newest checkpoint: full check


@SETTINGS
@given(
    line=st.integers(0, 2),
    what=st.sampled_from(["edit seq", "edit head_hash", "drop line", "drop row"]),
)
def test_any_change_to_the_checkpoints_is_found(anchored, line, what):
    lines = anchored

    def change():
        if what.startswith("edit"):
            edit_log(line, lines)(what.split()[1])
        elif what == "drop line":
            write_log(lines[:line] + lines[line + 1 :])
        else:
            delete_checkpoint(Checkpoint.objects.order_by("id")[line])

    full, daily = _reports(change)
    assert not full.ok, (what, line)
    if line == 2:  # the newest: the daily check reads it
        assert not daily.ok, (what, line)
