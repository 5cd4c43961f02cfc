"""`openqms evidence junit FILE --project --baseline --as`: counts and unlinked cases
printed; refusals exit 1 and write nothing."""

import pytest
from django.core.management import call_command

from openqms.design.models import TestRun
from openqms.testing import event_count, last_event
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


@pytest.fixture
def junit_file(cast, project, tmp_path):
    open_baseline(project, cast.qa_lead)
    item(cast, project, "TEST-1", "verification")
    path = tmp_path / "results.xml"
    path.write_bytes(suites(case("test_TEST_1"), case("test_helper"), case("test_TEST_9")))
    return path


def run(*args):
    code = 0
    try:
        call_command("evidence", "junit", *map(str, args))
    except SystemExit as exc:
        code = exc.code
    return code


@pytest.mark.verifies("DES-020")
def test_the_command_prints_counts_and_unlinked_cases(cast, junit_file, capsys):
    code = run(
        junit_file, "--project", "RhythmCheck", "--baseline", "release 1.0",
        "--commit", "abc", "--build", "7", "--as", cast.author.username,
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "3 cases, 3 passed, 0 failed, 0 skipped, 1 linked to items, 2 unlinked." in out
    assert "unlinked: tests.test_rhythm.test_helper" in out
    assert "unknown ID TEST-9 in tests.test_rhythm.test_TEST_9" in out
    assert last_event().action == "design.evidence.ingested"
    assert TestRun.objects.get().commit == "abc"


@pytest.mark.verifies("DES-022", refusal=True)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--as": "nobody"}, "no active user"),
        ({"--as": "trainee"}, "permission"),
        ({"--project": "Other"}, "no design project"),
        ({"--baseline": "release 9"}, "has no baseline"),
    ],
)
def test_a_refusal_exits_1_and_writes_nothing(cast, junit_file, capsys, change, message):
    opts = {"--project": "RhythmCheck", "--baseline": "release 1.0", "--as": cast.author.username}
    if change.get("--as") == "trainee":
        change = {"--as": cast.trainee.username}
    opts.update(change)
    before = event_count()
    code = run(junit_file, *[x for pair in opts.items() for x in pair])
    assert code == 1
    assert message in capsys.readouterr().err.lower()
    assert (TestRun.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-022")
def test_a_missing_file_is_refused(cast, junit_file, capsys):
    code = run(
        junit_file.with_name("nope.xml"), "--project", "RhythmCheck",
        "--baseline", "release 1.0", "--as", cast.author.username,
    )  # fmt: skip
    assert code == 1
    assert "Cannot read" in capsys.readouterr().err
