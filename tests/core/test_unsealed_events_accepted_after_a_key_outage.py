"""After a genuine outage of the audit key, events written without it carry no seal.
A checkpoint is refused over them until an administrator vouches for them with a
reason (`openqms audit checkpoint --accept-unsealed --reason`): that writes a sealed
event naming them, the checkpoint covers it, and verify names them as accepted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from openqms.core import audit, checkpoints
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, forge_event

REASON = "The tick unit ran without OPENQMS_AUDIT_KEY on 29 Nov, 09:00-09:20 (CHG-12)."


def unsealed_outage() -> None:
    """Sealed and checkpointed; then events #5-#6 written without the key (by a process
    from before OpenQMS refused to), then #7 sealed again."""
    checkpointed(4)
    forge_event("outage 1")
    forge_event("outage 2")
    record_events(1)


def trail():
    return list(AuditEvent.objects.values_list("seq", "hash")), Checkpoint.objects.count()


def checkpoint(*args) -> str:
    out = io.StringIO()
    call_command("audit", "checkpoint", *args, stdout=out)
    return out.getvalue()


def test_a_plain_checkpoint_is_refused_and_says_how_to_accept(db):
    unsealed_outage()
    before = trail()
    with pytest.raises(CommandError) as refusal:
        checkpoint()
    assert "unsealed event: events #5..#6 carry no seal" in str(refusal.value)
    assert "--accept-unsealed --reason" in str(refusal.value)
    assert trail() == before


@pytest.mark.parametrize("args", [("--accept-unsealed",), ("--accept-unsealed", "--reason", " ")])
def test_accepting_without_a_reason_is_refused(db, args):
    unsealed_outage()
    before = trail()
    with pytest.raises(CommandError, match="--accept-unsealed needs --reason"):
        checkpoint(*args)
    assert trail() == before


def test_with_a_reason_the_stretch_is_accepted_signed_and_named_by_verify(db):
    unsealed_outage()
    said = checkpoint("--accept-unsealed", "--reason", REASON)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (
        said
        == f"Checkpoint #{Checkpoint.objects.order_by('-id').first().pk} signed: events up to #8.\n"
    )
    assert list(AuditEvent.objects.filter(seq__gt=7).values_list("action", flat=True)) == [
        "core.audit.unsealed_accepted"
    ]
    assert (event.seq, event.object_type, event.reason) == (8, "core.checkpoint", REASON)
    assert json.loads(event.changes) == {"events": [[5, 6]]}
    assert event.actor is None and event.actor_name.startswith("system (openqms audit")
    assert event.seal  # sealed with the key, and covered by the checkpoint
    report = checkpoints.verify_anchored()
    assert report.ok and report.anchor_seq == 8
    assert report.notes == [
        f"events #5..#6 carry no seal: accepted by event #8 ({audit.format_time(event.at)}, "
        f"{event.actor_name}): {REASON}"
    ]


def test_an_acceptance_not_yet_covered_by_a_checkpoint_still_vouches(db):
    unsealed_outage()
    checkpoint("--accept-unsealed", "--reason", REASON)
    forge_event("after the acceptance")  # a new unsealed event is named again
    assert checkpoints.verify_anchored().problems == [
        "unsealed event: event #9 carries no seal, though earlier events were sealed: "
        "written while the audit key was unavailable, or forged."
    ]


def test_a_seal_that_does_not_match_is_never_accepted(db):
    unsealed_outage()
    forge_event("made-up seal", seal="0" * 64)
    before = trail()
    with pytest.raises(CommandError) as refusal:
        checkpoint("--accept-unsealed", "--reason", REASON)
    assert "forged or altered seal: event #8's seal does not match" in str(refusal.value)
    assert trail() == before  # the acceptance event was rolled back with the refusal


def test_nothing_to_accept_is_refused(db):
    checkpointed(2)
    record_events(1)
    before = trail()
    with pytest.raises(CommandError, match="No unsealed events since the last checkpoint"):
        checkpoint("--accept-unsealed", "--reason", REASON)
    assert trail() == before
