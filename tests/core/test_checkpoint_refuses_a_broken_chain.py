"""A checkpoint vouches for everything before it, so none is signed over a chain that
does not hold since the last one: refused, nothing written, and the tick records it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openqms.core import checkpoints
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, log_lines, tamper


def test_a_broken_chain_is_not_signed_and_the_reason_is_given(db):
    checkpointed(3)
    record_events(3)
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 5")
    with pytest.raises(checkpoints.CheckpointRefused) as refused:
        checkpoints.make_checkpoint()
    assert refused.value.message == (
        "Refusing to sign a checkpoint: the audit trail does not hold since the last "
        "checkpoint. broken chain: event #5: its content was altered after it was written. "
        "Run `openqms audit verify`."
    )
    assert Checkpoint.objects.count() == 1
    assert len(log_lines()) == 1


def test_a_checkpoint_no_longer_matching_the_trail_stops_the_next_one(db):
    checkpointed(3)
    record_events(2)
    tamper("DELETE FROM core_auditevent WHERE seq = 3")
    with pytest.raises(checkpoints.CheckpointRefused, match="event #3, the head checkpoint"):
        checkpoints.make_checkpoint()


def test_the_tick_records_the_refusal_as_a_failed_job(db):
    checkpointed(3)
    record_events(1)
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 4")
    before = AuditEvent.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match="core: audit checkpoint"):
        call_command("tick", stdout=StringIO(), stderr=err)
    failed = AuditEvent.objects.filter(seq__gt=before, action="core.job.failed").get()
    assert failed.object_id == "core: audit checkpoint"
    assert "CheckpointRefused: Refusing to sign a checkpoint" in failed.changes
    assert Checkpoint.objects.count() == 1


def test_the_command_says_so_and_exits_non_zero(db):
    checkpointed(2)
    record_events(1)
    tamper("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 3")
    with pytest.raises(CommandError, match="Refusing to sign a checkpoint"):
        call_command("audit", "checkpoint", stdout=StringIO())
