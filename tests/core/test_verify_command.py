"""`openqms verify` prints each check and each finding, `--json` for machines, and exits
0 only when every check holds."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openqms.training.models import CompetenceRecord
from tests import integrity_world


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _verify(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_verify_exits_0_and_prints_each_check_when_all_hold(world):
    code, out = _verify("--workers", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "integrity: all checks hold"
    assert lines[1].startswith("  audit chain and checkpoints: ok, ")
    assert any(
        line.startswith("  training: competence records: ok, 1 checked in ") for line in lines
    )
    assert not [line for line in lines if line.startswith("- [")]


def test_verify_exits_1_and_names_each_finding(world):
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    code, out = _verify()
    assert code == 1
    assert out.splitlines()[0] == "integrity: CHECKS FAILED"
    assert "  training: competence records: FAILED (1 finding(s)), 1 checked in " in out
    [finding] = [line for line in out.splitlines() if line.startswith("- [")]
    assert finding.startswith(
        f"- [training: competence records] training.competencerecord {world.competence.pk} "
        "(trainee: GCP course): the trail says expires 2027-01-10 (event #"
    )
    assert finding.endswith("; the row says expires 2099-01-01")


def test_verify_json_has_the_result_each_section_and_each_finding(world):
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    code, out = _verify("--json", "--since-checkpoint")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"ok", "sections", "findings"}
    assert data["ok"] is False
    assert set(data["sections"][0]) == {"name", "ok", "checked", "seconds", "findings", "note"}
    failed = [s["name"] for s in data["sections"] if not s["ok"]]
    assert failed == ["training: competence records"]
    [finding] = data["findings"]
    assert set(finding) == {"check", "record", "trail_says", "row_says"}
    assert finding["row_says"] == "expires 2099-01-01"


def test_verify_refuses_no_workers(db):
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        call_command("verify", "--workers", "0")
