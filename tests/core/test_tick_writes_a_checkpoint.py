"""`openqms tick` signs the chain's head once it moved, and only then: a checkpoint
writes no audit event, so a tick with nothing new makes none."""

import json
from io import StringIO

from django.core.management import call_command

from openqms.core import checkpoints, keys, modules
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import event_count, record_events
from tests.core.anchoring import log_lines


def tick() -> str:
    out = StringIO()
    call_command("tick", stdout=out)
    return out.getvalue()


def test_a_tick_signs_the_head_and_a_second_tick_with_nothing_new_signs_nothing(db):
    record_events(3)
    before = event_count()
    said = tick()
    (checkpoint,) = Checkpoint.objects.all()
    head = AuditEvent.objects.order_by("-seq").first()
    assert (checkpoint.seq, checkpoint.head_hash) == (head.seq, head.hash)
    # #4: the scheduled integrity check's result, written just before the checkpoint
    assert f"core: audit checkpoint: checkpoint #{checkpoint.pk} signed: events up to #4" in said
    assert event_count() == before + 1  # that result; no event per checkpoint

    said = tick()
    assert Checkpoint.objects.count() == 1
    assert "core: audit checkpoint: no new events since the last checkpoint" in said
    assert len(log_lines()) == 1


def test_the_checkpoint_is_signed_counted_and_in_the_log(db, cast):
    made = checkpoints.make_checkpoint()
    counts = json.loads(made.counts)
    assert counts["core_user"] == 9
    assert counts["core_auditevent"] == made.seq
    assert counts["core_checkpoint"] == 0
    assert made.key_id == keys.current().key_id
    assert made.previous == ""
    (line,) = log_lines()
    assert json.loads(line)["signature"] == made.signature
    assert checkpoints.verify_anchored().ok


def test_checkpoints_chain_each_to_the_one_before(db):
    record_events(2)
    first = checkpoints.make_checkpoint()
    record_events(1)
    second = checkpoints.make_checkpoint()
    assert second.previous == first.signature
    assert [json.loads(line)["seq"] for line in log_lines()] == [2, 3]


def test_an_empty_trail_gets_no_checkpoint(db):
    assert checkpoints.make_checkpoint() is None
    assert not Checkpoint.objects.exists()


def test_the_checkpoint_job_runs_just_before_the_email_job():
    names = [job.name for job in modules.jobs()]
    assert names[-2:] == ["core: audit checkpoint", "core: queued emails"]
