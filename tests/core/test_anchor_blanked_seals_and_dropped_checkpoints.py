"""Someone with database access blanks every seal and deletes every checkpoint row, so
the trail looks like one written before the key existed. The checkpoint log still holds
the checkpoints, so their loss is named, and so is every unsealed event after them; and
once one event is sealed, an unsealed later one is named even with no checkpoint."""

from openqms.core import checkpoints
from openqms.core.models import Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, problems_of, tamper


def test_blanked_seals_and_deleted_rows_are_named_from_the_log(db):
    made = checkpointed(4, 4)
    record_events(2)
    tamper("UPDATE core_auditevent SET seal = ''")
    tamper("DELETE FROM core_checkpoint")
    assert not Checkpoint.objects.exists()
    report = checkpoints.verify_anchored()
    assert not report.ok and report.anchor_seq is None
    problems = problems_of(report)
    for checkpoint in made:
        assert (
            f"checkpoint row deleted: the checkpoint of "
            f"{checkpoints.audit.format_time(checkpoint.at)} (checkpoint log, line "
        ) in problems
    assert report.problems[-1] == (
        "unsealed event: events #9..#10 carry no seal, though earlier events were sealed: "
        "written while the audit key was unavailable, or forged."
    )


def test_with_no_checkpoint_an_unsealed_event_after_a_sealed_one_is_named(db):
    record_events(5)
    tamper("UPDATE core_auditevent SET seal = '' WHERE seq >= 4")
    assert checkpoints.verify_anchored().problems == [
        "unsealed event: events #4..#5 carry no seal, though earlier events were sealed: "
        "written while the audit key was unavailable, or forged."
    ]
