"""An event appended without OpenQMS, with a correct chain hash: the chain and the
checkpoints agree with it, but it carries no seal made with the instance's key."""

from openqms.core import chain, checkpoints
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, forge_event


def test_a_forged_append_after_the_last_checkpoint_is_named(db):
    checkpointed(4)
    record_events(2)
    seq = forge_event()
    assert chain.verify_chain().ok
    report = checkpoints.verify_anchored()
    assert report.problems == [
        f"forged append: event #{seq} is not sealed with this instance's key: it was not "
        "written by OpenQMS."
    ]


def test_a_made_up_seal_does_not_pass(db):
    checkpointed(2)
    seq = forge_event(seal="0" * 64)
    assert checkpoints.verify_anchored(since_checkpoint=True).problems == [
        f"forged append: event #{seq} is not sealed with this instance's key: it was not "
        "written by OpenQMS."
    ]


def test_no_checkpoint_is_signed_over_a_forged_event(db):
    checkpointed(2)
    forge_event()
    before = list(checkpoints.Checkpoint.objects.values_list("pk", flat=True))
    try:
        checkpoints.make_checkpoint()
    except checkpoints.CheckpointRefused as refusal:
        assert "forged append: event #3 is not sealed" in refusal.message
    else:
        raise AssertionError("a checkpoint was signed over a forged event")
    assert list(checkpoints.Checkpoint.objects.values_list("pk", flat=True)) == before
