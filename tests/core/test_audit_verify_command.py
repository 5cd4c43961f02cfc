"""`openqms audit verify` checks the chain against its checkpoints: exit 0 when all holds,
exit 1 printing every problem; `--json` for machines; `--since-checkpoint` daily."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openqms.testing import record_events
from tests.core.anchoring import checkpointed, forge_event, tamper


def verify(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", "--workers", "1", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_an_anchored_trail_verifies(db):
    checkpointed(4)
    record_events(2)
    code, said = verify()
    assert code == 0
    first, second = said.splitlines()
    assert first.startswith("audit chain intact: 6 events, last #6 ")
    assert second == (
        "anchored: 1 checkpoint(s) checked against the checkpoint log and the keys; the trail "
        "is proved up to #4 and every later event is sealed."
    )


def test_every_problem_is_printed_and_the_exit_is_1(db):
    checkpointed(4, 3)
    tamper("DELETE FROM core_auditevent WHERE seq > 5")
    forge_event()
    code, said = verify()
    assert code == 1
    lines = said.splitlines()
    assert lines[1] == "NOT proved by its checkpoints: 3 problem(s):"
    assert lines[2].startswith("  - truncated tail: the trail ends at #6 but checkpoint #")
    assert lines[3].startswith("  - rows deleted: table core_auditevent has 6 rows but ")
    assert lines[4] == (
        "  - unsealed event: event #6 carries no seal, though earlier events were sealed: "
        "written while the audit key was unavailable, or forged."
    )


def test_json_carries_the_problems(db):
    checkpointed(3)
    forge_event()
    code, said = verify("--json", "--since-checkpoint")
    report = json.loads(said)
    assert code == 1
    assert report["ok"] is False and report["mode"] == "since checkpoint"
    assert report["problems"] == [
        "unsealed event: event #4 carries no seal, though earlier events were sealed: "
        "written while the audit key was unavailable, or forged."
    ]
    assert (report["last_seq"], report["checked"]) == (4, 1)


def test_a_trail_with_no_key_and_no_checkpoint_passes_but_says_it_is_not_anchored(
    db, settings, tmp_path
):
    settings.AUDIT_KEY = tmp_path / "none.pem"
    record_events(2)
    code, said = verify()
    assert code == 0
    assert said.splitlines()[1:] == [
        "note: not anchored: there is no audit key (OPENQMS_AUDIT_KEY) and no checkpoint, so "
        "the trail is only shown to agree with itself. Run `openqms keys init`, then "
        "`openqms audit checkpoint`."
    ]


def test_a_missing_key_once_there_are_checkpoints_is_a_problem(db, settings, tmp_path):
    checkpointed(2)
    record_events(1)
    settings.AUDIT_KEY = tmp_path / "gone.pem"
    code, said = verify()
    assert code == 1
    assert f"no audit key: {tmp_path / 'gone.pem'} is missing or unreadable" in said


def test_the_checkpoint_command_says_what_it_signed(db):
    record_events(3)
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert out.getvalue().startswith("Checkpoint #")
    assert out.getvalue().endswith(" signed: events up to #3.\n")
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert out.getvalue() == "No new events since the last checkpoint: nothing to sign.\n"


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_workers_below_one_are_refused(db, workers):
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        call_command("audit", "verify", "--workers", workers, stdout=StringIO())


def test_the_checkpoint_command_can_append_what_the_log_lacks(db, settings):
    checkpointed(2)
    settings.CHECKPOINT_LOG.write_text("")
    record_events(1)
    with pytest.raises(CommandError, match="--append-missing"):
        call_command("audit", "checkpoint", stdout=StringIO())
    call_command("audit", "checkpoint", "--append-missing", stdout=StringIO())
    assert verify()[0] == 0


def test_require_anchor_fails_a_trail_no_checkpoint_proves(db, settings, tmp_path):
    record_events(2)
    assert verify("--require-anchor")[0] == 1
    checkpointed(1)
    assert verify("--require-anchor")[0] == 0
