"""The checkpoint log outside the database and the checkpoint rows inside it must say the
same: an edited line, a removed line or a line that is no checkpoint is named."""

import json

from openqms.core import audit, checkpoints
from tests.core.anchoring import checkpointed, log_lines, update_checkpoint, write_log


def test_an_edited_log_line_is_named_with_the_field_that_differs(db):
    _, second, _ = checkpointed(3, 3, 3)
    lines = log_lines()
    edited = json.loads(lines[1])
    edited["head_hash"] = "0" * 64
    write_log([lines[0], json.dumps(edited), lines[2]])
    report = checkpoints.verify_anchored()
    assert report.problems == [
        "checkpoint log edited: line 2 of the checkpoint log differs from checkpoint "
        f"#{second.pk} of {audit.format_time(second.at)} in the database (head_hash)."
    ]


def test_a_removed_log_line_is_named(db):
    _, second, _ = checkpointed(3, 3, 3)
    lines = log_lines()
    write_log([lines[0], lines[2]])
    assert checkpoints.verify_anchored().problems == [
        f"checkpoint log missing a line: checkpoint #{second.pk} of "
        f"{audit.format_time(second.at)} (up to #6) is in the database but not in the "
        "checkpoint log."
    ]


def test_a_line_that_is_no_checkpoint_is_named(db):
    checkpointed(3)
    write_log([*log_lines(), "{not json"])
    assert checkpoints.verify_anchored().problems == [
        "checkpoint log edited: line 2 of the checkpoint log is no checkpoint."
    ]


def test_a_line_edited_together_with_its_row_does_not_match_its_signature(db):
    (checkpoint,) = checkpointed(4)
    update_checkpoint(checkpoint, seq=3)
    edited = json.loads(log_lines()[0])
    edited["seq"] = 3
    write_log([json.dumps(edited)])
    assert checkpoints.verify_anchored().problems == [
        f"altered checkpoint: checkpoint #{checkpoint.pk} of {audit.format_time(checkpoint.at)} "
        "does not match its signature: it was changed after it was signed."
    ]


def test_a_log_that_is_gone_is_named_once(db, settings):
    checkpointed(2, 2, 2)
    settings.CHECKPOINT_LOG.unlink()
    assert checkpoints.verify_anchored().problems == [
        f"checkpoint log missing: {settings.CHECKPOINT_LOG} does not exist, but the database "
        "holds 3 checkpoint(s). Restore the log, or point OPENQMS_CHECKPOINT_LOG at it."
    ]


def test_a_row_whose_counts_are_no_json_fails_its_signature(db):
    (checkpoint,) = checkpointed(2)
    update_checkpoint(checkpoint, counts="{not json")
    problems = checkpoints.verify_anchored().problems
    assert problems[0].startswith(f"altered checkpoint: checkpoint #{checkpoint.pk} of ")
