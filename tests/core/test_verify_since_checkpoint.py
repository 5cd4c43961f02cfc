"""`verify_anchored(since_checkpoint=True)`, the daily check: from the newest checkpoint
that holds, only the events after it are read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_only_the_events_after_the_newest_checkpoint_are_checked(db):
    checkpointed(20)
    record_events(5)
    report = checkpoints.verify_anchored(since_checkpoint=True)
    assert report.ok, report.summary()
    assert (report.mode, report.checked, report.head_seq, report.start_seq) == (
        "since checkpoint",
        5,
        25,
        20,
    )
    assert (
        report.summary()
        .splitlines()[0]
        .startswith("audit chain intact: 5 events after the checkpoint at #20, last #25 ")
    )


def test_an_edit_before_the_checkpoint_is_left_to_the_full_check(db):
    checkpointed(20)
    record_events(5)
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 3")
    assert checkpoints.verify_anchored(since_checkpoint=True).ok
    full = checkpoints.verify_anchored()
    assert (
        full.problems[0] == "broken chain: event #3: its content was altered after it was written."
    )


def test_what_is_newer_than_the_checkpoint_is_checked(db):
    checkpointed(10)
    record_events(3)
    seq = forge_event()
    report = checkpoints.verify_anchored(since_checkpoint=True)
    assert report.problems == [
        f"unsealed event: event #{seq} carries no seal, though earlier events were "
        "sealed: written while the audit key was unavailable, or forged."
    ]


def test_a_checkpoint_that_no_longer_holds_is_passed_over_for_an_older_one(db):
    checkpointed(5, 5)
    newest = Checkpoint.objects.order_by("-id").first()
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 8")
    rehash_from(8)
    report = checkpoints.verify_anchored(since_checkpoint=True)
    assert report.start_seq == 5
    assert not report.ok
    assert report.problems[0].startswith(
        f"rewritten trail: event #10 is not the event checkpoint #{newest.pk}"
    )
    assert report.problems[0].endswith(
        "the trail was rewritten after #5, the last checkpoint that still holds."
    )
    assert [p.split("'s seal")[0] for p in report.problems[1:]] == [
        "forged or altered seal: event #8",
        "forged or altered seal: event #9",
        "forged or altered seal: event #10",
    ]


def test_a_newer_log_line_whose_row_was_deleted_is_named(db):
    checkpointed(5, 5)
    delete_checkpoint(Checkpoint.objects.order_by("-id").first())
    report = checkpoints.verify_anchored(since_checkpoint=True)
    (problem,) = report.problems
    assert problem.startswith("checkpoint row deleted: the checkpoint of ")
    assert "(checkpoint log, a line near its end) (up to #10)" in problem


def test_with_no_checkpoint_that_holds_the_whole_trail_is_checked(db):
    checkpointed(5)
    write_log([])
    report = checkpoints.verify_anchored(since_checkpoint=True)
    assert report.mode == "full"
    assert report.problems[0].startswith("checkpoint log missing a line: checkpoint #")
    assert report.notes == ["no checkpoint holds, so the whole trail was checked."]


def test_the_daily_check_reads_a_fixed_number_of_queries_whatever_the_history(db):
    checkpointed(*[3] * 5)
    record_events(4)
    with CaptureQueriesContext(connection) as few:
        checkpoints.verify_anchored(since_checkpoint=True)
    checkpointed(*[3] * 20)
    record_events(4)
    with CaptureQueriesContext(connection) as many:
        assert checkpoints.verify_anchored(since_checkpoint=True).ok
    assert len(many) == len(few)
    assert len(log_lines()) == 25
