"""`openqms validate` end to end, with OQ stubbed (its runner is tested on its own)."""

import json

import pytest
from django.core.management import CommandError, call_command

from openqms.core import modules
from openqms.core.files import open_stored
from openqms.testing import changes_of, event_count, events_since, record_events
from openqms.validation import oq
from openqms.validation.management.commands import validate
from openqms.validation.models import ValidationReport
from openqms.validation.results import FAILED, PASSED

from .oq_runs import oq_run, outcome


def every_requirement_tested(failing: str = ""):
    ids = [r.id for reqs in modules.requirements().values() for r in reqs]
    return oq_run(
        *(
            outcome(f"tests/t.py::test_{rid}", FAILED if rid == failing else PASSED, rid)
            for rid in ids
        )
    )


def run(tmp_path, release_files, *extra):
    manifest_path, lock_path = release_files
    out = tmp_path / "out"
    call_command(
        "validate",
        "--output",
        str(out),
        "--manifest",
        str(manifest_path),
        "--lock",
        str(lock_path),
        *extra,
    )
    return out


@pytest.mark.verifies("VAL-031", "VAL-028")
def test_a_passing_validation_exits_zero_and_stores_the_report(
    capsys, cast, tmp_path, release_files, production_like, monkeypatch
):
    monkeypatch.setattr(validate, "run_oq", lambda output, say=None: every_requirement_tested())
    before = event_count()

    out = run(tmp_path, release_files)

    report = ValidationReport.objects.get()
    [stored] = events_since(before)
    assert (stored.action, changes_of(stored)["number"]) == (
        "validation.report.stored",
        report.number,
    )
    assert stored.actor_name.startswith("system (openqms validate (OS user ")
    assert (report.passed, report.iq_passed, report.oq_passed) == (True, True, True)
    body = json.loads((out / "validation.json").read_text())
    assert body["passed"] is True
    assert (out / "validation.json").read_bytes() == report_bytes(report.json_file)
    assert (out / "validation.pdf").read_bytes() == report_bytes(report.pdf_file)
    assert sorted(p.name for p in out.iterdir()) == [
        "iq.json",
        "iq.txt",
        "validation.json",
        "validation.pdf",
    ]
    printed = capsys.readouterr().out
    assert "Validation passed." in printed
    assert f"Stored as {report.number}, awaiting a QA lead's approval" in printed


def report_bytes(stored):
    with open_stored(stored) as stream:
        return stream.read()


@pytest.mark.verifies("VAL-031", refusal=True)
def test_a_failed_validation_exits_one_and_is_stored_as_a_failed_record(
    cast, tmp_path, release_files, production_like, monkeypatch
):
    monkeypatch.setattr(
        validate, "run_oq", lambda output, say=None: every_requirement_tested("VAL-001")
    )

    with pytest.raises(CommandError) as failed:
        run(tmp_path, release_files)

    assert failed.value.returncode == 1
    report = ValidationReport.objects.get()
    assert str(failed.value) == (
        f"Validation FAILED: see the deviations in the report ({report.number} is stored "
        "as a failed validation)."
    )
    assert (report.passed, report.oq_passed, report.counts["not_verified"]) == (False, False, 1)


@pytest.mark.verifies("VAL-031", refusal=True)
def test_an_unwritable_folder_runs_nothing_and_stores_nothing(
    cast, tmp_path, release_files, production_like, monkeypatch
):
    ran = []
    monkeypatch.setattr(validate, "run_oq", lambda output, say=None: ran.append(output))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    manifest_path, lock_path = release_files
    before = event_count()

    with pytest.raises(CommandError) as refused:
        call_command(
            "validate",
            "--output",
            str(blocker / "out"),
            "--manifest",
            str(manifest_path),
            "--lock",
            str(lock_path),
        )

    assert str(refused.value).startswith(f"Cannot write the report to {blocker / 'out'}: ")
    assert (ran, event_count(), ValidationReport.objects.count()) == ([], before, 0)


@pytest.mark.verifies("VAL-031", refusal=True)
def test_without_the_oq_runner_the_validation_fails_and_says_why(
    cast, tmp_path, release_files, production_like, monkeypatch
):
    monkeypatch.setattr(oq, "missing_dependencies", lambda: ["pytest", "pytest_django"])

    with pytest.raises(CommandError):
        run(tmp_path, release_files)

    report = ValidationReport.objects.get()
    body = json.loads((tmp_path / "out" / "validation.json").read_text())
    assert report.oq_passed is False
    assert body["deviations"][0] == {
        "kind": "OQ did not run",
        "subject": "OQ",
        "detail": "OQ needs pytest, pytest_django, which this installation lacks: "
        "pip install 'openqms[oq]'",
    }


@pytest.mark.verifies("VAL-028", refusal=True)
def test_an_oq_that_writes_to_the_instance_fails_the_command_and_stores_nothing(
    cast, tmp_path, release_files, production_like, monkeypatch
):
    def writing_oq(output, say=None):
        record_events(1)
        return every_requirement_tested()

    monkeypatch.setattr(validate, "run_oq", writing_oq)
    before = event_count()

    with pytest.raises(CommandError, match=r"^OQ wrote to the instance: the audit chain moved"):
        run(tmp_path, release_files)

    assert (event_count(), ValidationReport.objects.count()) == (before + 1, 0)
    # No file that says "passed" is left as if it were a record.
    assert sorted(p.name for p in (tmp_path / "out").glob("validation*")) == [
        "validation.NOT-STORED.json",
        "validation.NOT-STORED.pdf",
    ]
