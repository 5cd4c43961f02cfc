"""A rewrite with recomputed hashes agrees with itself, but not with the checkpoints:
the event at a checkpoint's seq is not the one it signed, and rewritten events after the
last checkpoint carry no valid seal."""

import pytest

from openqms.core import audit, chain, checkpoints
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, problems_of, rehash_from, tamper

pytestmark = pytest.mark.verifies("CORE-021", refusal=True)


def test_a_whole_chain_rewrite_is_named(db):
    first, _ = checkpointed(5, 3)
    tamper("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq = 1")
    rehash_from(1)
    assert chain.verify_chain().ok  # consistent with itself
    report = checkpoints.verify_anchored()
    assert not report.ok and report.anchor_seq is None
    assert report.problems[:2] == [
        f"rewritten trail: event #5 is not the event checkpoint #{first.pk} of "
        f"{audit.format_time(first.at)} covered (its hash differs): the trail was rewritten "
        "whole: no checkpoint before it holds.",
        "1 later checkpoint no longer matches the trail either.",
    ]
    # and no rewritten event carries a seal made with the instance's key
    assert [p.split("'s seal")[0] for p in report.problems[2:]] == [
        f"forged or altered seal: event #{seq}" for seq in range(1, 9)
    ]


def test_a_rewritten_suffix_is_named_with_the_last_checkpoint_that_holds(db):
    checkpointed(4, 4)
    tamper("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq = 6")
    rehash_from(6)
    problems = problems_of(checkpoints.verify_anchored())
    assert "rewritten trail: event #8 is not the event checkpoint" in problems
    assert "the trail was rewritten after #4, the last checkpoint that still holds." in problems


def test_a_rewrite_after_the_last_checkpoint_is_caught_by_the_seals(db):
    checkpointed(4)
    record_events(2)
    tamper("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq = 5")
    rehash_from(5)
    assert checkpoints.verify_anchored().problems == [
        "forged or altered seal: event #5's seal does not match this instance's key.",
        "forged or altered seal: event #6's seal does not match this instance's key.",
    ]
