"""The newest events deleted: what is left agrees with itself, but a checkpoint covered
more than the trail now holds."""

from openqms.core import audit, chain, checkpoints
from tests.core.anchoring import checkpointed, tamper


def test_a_truncated_tail_is_named_with_the_events_deleted(db):
    (checkpoint,) = checkpointed(7)
    tamper("DELETE FROM core_auditevent WHERE seq > 4")
    assert chain.verify_chain().ok
    report = checkpoints.verify_anchored()
    assert report.problems == [
        f"truncated tail: the trail ends at #4 but checkpoint #{checkpoint.pk} of "
        f"{audit.format_time(checkpoint.at)} covered up to #7: events #5..#7 were deleted.",
        f"rows deleted: table core_auditevent has 4 rows but checkpoint #{checkpoint.pk} of "
        f"{audit.format_time(checkpoint.at)} counted 7.",
    ]
    assert report.head_seq == 4


def test_the_daily_check_names_a_truncated_tail_too(db):
    checkpointed(3, 4)
    tamper("DELETE FROM core_auditevent WHERE seq > 5")
    report = checkpoints.verify_anchored(since_checkpoint=True)
    assert not report.ok
    assert any(p.startswith("truncated tail: the trail ends at #5 but") for p in report.problems)
