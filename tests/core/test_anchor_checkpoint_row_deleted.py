"""A checkpoint row deleted from the database is still in the log: named, and what it
stated is still checked against the trail."""

from openqms.core import checkpoints
from tests.core.anchoring import checkpointed, delete_checkpoint, tamper


def test_a_deleted_checkpoint_row_is_named_from_the_log(db):
    _, second, _ = checkpointed(3, 3, 3)
    delete_checkpoint(second)
    report = checkpoints.verify_anchored()
    (problem,) = report.problems
    assert problem.startswith("checkpoint row deleted: the checkpoint of ")
    assert problem.endswith(
        "(checkpoint log, line 2) (up to #6) is in the checkpoint log but not in the database."
    )


def test_the_newest_row_deleted_to_hide_a_truncation_does_not_hide_it(db):
    _, newest = checkpointed(3, 3)
    delete_checkpoint(newest)
    tamper("DELETE FROM core_auditevent WHERE seq > 4")
    problems = checkpoints.verify_anchored().problems
    assert problems[0].startswith("checkpoint row deleted:")
    assert problems[1].startswith("truncated tail: the trail ends at #4 but the checkpoint of ")
    assert problems[1].endswith("covered up to #6: events #5..#6 were deleted.")
