"""An event deleted and the later ones renumbered (hashes recomputed): the chain agrees
with itself, but the event now at a checkpoint's seq was written after that checkpoint."""

from openqms.core import audit, chain, checkpoints
from tests.core.anchoring import checkpointed, rehash_from, tamper


def renumber_after_deleting(seq: int) -> None:
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [seq])
    tamper("UPDATE core_auditevent SET seq = seq - 1 WHERE seq > %s", [seq])
    rehash_from(seq)


def test_a_deletion_with_renumbering_is_named(db):
    first, second = checkpointed(6, 4)
    renumber_after_deleting(3)
    assert chain.verify_chain().ok
    report = checkpoints.verify_anchored()
    assert not report.ok
    (renumbered,) = [p for p in report.problems if p.startswith("renumbered deletion:")]
    assert renumbered.startswith("renumbered deletion: event #6 was written at ")
    assert renumbered.endswith(
        f", after checkpoint #{first.pk} of {audit.format_time(first.at)} that covered it: "
        "events up to #6 were deleted and the later ones renumbered."
    )
    assert (
        f"truncated tail: the trail ends at #9 but checkpoint #{second.pk} of "
        f"{audit.format_time(second.at)} covered up to #10: events #10..#10 were deleted."
    ) in report.problems
