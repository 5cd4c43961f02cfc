"""The OQ runner on its samples (tests/validation/oq_samples): one passing test on the
scratch database, one skipped and one failing, reported exactly; the instance left as it
was; on PostgreSQL a scratch database of its own, dropped after. One nested run serves
the module (each costs a pytest start and a scratch database)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from openqms.core.models import AuditEvent
from openqms.validation import config_snapshot, oq, suite

from .data_folder import folder_digests

# The module fixture reads the test database; pytest-django creates it only for a session
# with a test marked as using it.
pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "oq_samples"
SAMPLE_FILE = "tests/test_samples.py"


def instance_state() -> dict:
    """What the runner must leave alone: the audit chain's head, the data folder's
    files (names and contents) and the configuration."""
    last = AuditEvent.objects.order_by("-seq").first()
    data = Path(settings.DATA_DIR)
    return {
        "events": AuditEvent.objects.count(),
        "head": last.hash if last else "",
        # every file's SHA-256, not only its name: a write into a file is seen too (read
        # by another process: the folder holds the database this one has open)
        "data_dir": folder_digests(data),
        "configuration": config_snapshot.take(),
    }


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def scratch_names(run) -> list[str]:
    return re.findall(r"openqms_oq_[0-9a-f]{12}", run.scratch)


@pytest.fixture(scope="module")
def sample_run(django_db_setup, django_db_blocker, tmp_path_factory):
    output = tmp_path_factory.mktemp("oq-output")
    samples_before = tree(SAMPLES)
    with django_db_blocker.unblock():
        before = instance_state()
        run = oq.run(output=output, suite_root=SAMPLES, processes=1)
        after = instance_state()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname = ANY(%s)", [scratch_names(run)]
                )
                left = [row[0] for row in cursor.fetchall()]
        else:
            left = []
    return {
        "run": run,
        "output": output,
        "before": before,
        "after": after,
        "left": left,
        "samples": (samples_before, tree(SAMPLES)),
    }


@pytest.mark.verifies("VAL-017")
def test_each_marked_sample_is_reported_with_its_requirements_outcome_and_reason(sample_run):
    run = sample_run["run"]
    assert run.problem == ""
    assert [(o.nodeid, o.requirements, o.refusal, o.outcome, o.message) for o in run.outcomes] == [
        (
            "tests/test_sample_needing_a_missing_library.py::test_a_sample_of_a_skipped_file",
            ("VAL-017",),
            True,
            "skipped",
            "the library is not installed",
        ),
        (
            "tests/test_sample_that_cannot_be_imported.py::test_a_sample_of_a_broken_file",
            ("VAL-017",),
            False,
            "error",
            "E   ModuleNotFoundError: No module named 'a_library_nobody_installs'",
        ),
        (
            f"{SAMPLE_FILE}::test_a_passing_sample_sees_its_scratch_database",
            ("VAL-017",),
            False,
            "passed",
            "",
        ),
        (
            f"{SAMPLE_FILE}::test_a_skipped_sample",
            ("VAL-017",),
            True,
            "skipped",
            "the sample is skipped on purpose",
        ),
        (
            f"{SAMPLE_FILE}::test_a_failing_sample",
            ("VAL-017",),
            False,
            "failed",
            "AssertionError: the sample fails on purpose\nassert (1 + 1) == 3",
        ),
    ]
    assert run.exit_code == 1
    assert run.passed is False
    assert all(o.seconds >= 0 for o in run.outcomes)


@pytest.mark.verifies("VAL-017")
def test_each_outcome_carries_the_sha256_of_its_test_function(sample_run):
    import inspect
    import sys

    sys.path.insert(0, str(SAMPLES))
    try:
        import test_samples
    finally:
        sys.path.remove(str(SAMPLES))
        sys.modules.pop("test_samples", None)
    expected = {
        f"{SAMPLE_FILE}::{name}": hashlib.sha256(
            inspect.getsource(getattr(test_samples, name)).encode()
        ).hexdigest()
        for name in (
            "test_a_passing_sample_sees_its_scratch_database",
            "test_a_skipped_sample",
            "test_a_failing_sample",
        )
    }
    found = {o.nodeid: o.source_sha256 for o in sample_run["run"].outcomes}
    assert {k: v for k, v in found.items() if k.startswith(SAMPLE_FILE)} == expected


@pytest.mark.verifies("VAL-018")
def test_the_run_leaves_the_instance_as_it_was(sample_run):
    assert sample_run["after"] == sample_run["before"]


@pytest.mark.verifies("VAL-024")
def test_the_run_works_in_a_copy_and_leaves_the_suite_folder_untouched(sample_run):
    before, after = sample_run["samples"]
    assert after == before
    assert not any("__pycache__" in name or ".hypothesis" in name for name in after)
    assert len(sample_run["run"].suite_sha256) == 64


@pytest.mark.verifies("VAL-019")
def test_the_scratch_database_is_on_the_instances_engine_and_never_its_own(sample_run):
    run = sample_run["run"]
    if connection.vendor == "sqlite":
        assert run.engine == "sqlite"
        assert run.scratch == "SQLite scratch database in a temporary folder, removed after the run"
        return
    (name,) = scratch_names(run)
    assert run.engine == "postgresql"
    assert name != connection.settings_dict["NAME"]
    assert name != settings.DATABASES["default"]["NAME"]
    assert "dropped after the run" in run.scratch
    assert sample_run["left"] == []  # pytest-django dropped it


@pytest.mark.verifies("VAL-020")
def test_the_configuration_the_run_used_is_written_and_summarised(sample_run):
    written = config_snapshot.read(sample_run["output"] / oq.CONFIGURATION_FILE)
    assert written == sample_run["before"]["configuration"]
    summary = sample_run["run"].configuration
    assert summary["counts"] == {
        "document_types": len(written["document_types"]),
        "training_rules": len(written["training_rules"]),
        "roles": len(written["roles"]),
    }
    assert "procedure" in summary["document_types"]
    assert "qa_lead" in summary["roles"]


@pytest.mark.verifies("VAL-018", refusal=True)
def test_the_tests_environment_carries_nothing_of_the_instances(monkeypatch, tmp_path):
    instance = {
        "OPENQMS_AUDIT_KEY": "/srv/qms/keys/audit-ed25519.pem",
        "OPENQMS_CHECKPOINT_LOG": "/srv/qms/checkpoints.log",
        "OPENQMS_CHECKPOINT_S3_BUCKET": "acme-checkpoints",
        "OPENQMS_DATABASE_URL": "postgresql://qms@db/qms",
        "OPENQMS_EMAIL_HOST": "smtp.acme.example",
        "DJANGO_SETTINGS_MODULE": "openqms.settings",
        "PYTEST_ADDOPTS": "-k nothing",
        "PYTHONPATH": "/srv/qms/site",
    }
    for name, value in instance.items():
        monkeypatch.setenv(name, value)
    env = oq.clean_environment(tmp_path, 0)
    assert {k: v for k, v in env.items() if k.startswith(("OPENQMS_", "DJANGO_", "PYTEST_"))} == {
        "OPENQMS_DATA_DIR": str(tmp_path / "data-0"),
        "OPENQMS_OQ_RESULTS": str(tmp_path / "results-0.jsonl"),
        "DJANGO_SETTINGS_MODULE": "openqms.settings_test",
    }
    assert env["TMPDIR"] == str(tmp_path / "tmp-0")
    assert "/srv/qms/site" not in env["PYTHONPATH"]


@pytest.mark.verifies("VAL-019", refusal=True)
def test_the_scratch_url_names_the_scratch_database_not_the_instances():
    instance = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "qms",
        "USER": "qms app",
        "PASSWORD": "p@ss/word",
        "HOST": "db.internal",
        "PORT": "5433",
    }
    assert oq._scratch_url(instance, "openqms_oq_0123456789ab") == (
        "postgresql://qms%20app:p%40ss%2Fword@db.internal:5433/openqms_oq_0123456789ab"
    )


@pytest.mark.verifies("VAL-023", refusal=True)
def test_without_its_test_tools_the_run_names_them_and_runs_nothing(monkeypatch, tmp_path):
    real = oq.importlib.util.find_spec
    monkeypatch.setattr(
        oq.importlib.util,
        "find_spec",
        lambda name: None if name in ("pytest_django", "hypothesis") else real(name),
    )
    run = oq.run(output=tmp_path / "out")
    assert run.problem == (
        "OQ needs pytest_django, hypothesis, which this installation lacks: "
        "pip install 'openqms[oq]'"
    )
    assert (run.outcomes, run.exit_code, run.passed) == ((), -1, False)
    assert not (tmp_path / "out").exists()


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_selection_that_is_a_pytest_option_is_refused(tmp_path):
    run = oq.run(output=tmp_path, selection=["tests/core", "--co"])
    assert run.problem == "A selection names test paths or node ids, not '--co'."
    assert run.outcomes == ()


def test_the_runs_markers_are_those_pyproject_declares():
    import tomllib

    pyproject = suite.CHECKOUT.parent / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("an installed suite has no pyproject.toml to compare with")
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pytest"]
    assert tuple(declared["ini_options"]["markers"]) == oq.MARKERS


@pytest.mark.verifies("VAL-018")
def test_the_audit_chain_head_and_data_folder_are_the_same_after_a_run(cast, tmp_path):
    before = instance_state()
    assert before["events"] > 0  # the cast's creation wrote events: a head to compare
    run = oq.run(
        output=tmp_path,
        suite_root=SAMPLES,
        selection=[f"{SAMPLE_FILE}::test_a_skipped_sample"],
    )
    assert [(o.nodeid, o.outcome) for o in run.outcomes] == [
        (f"{SAMPLE_FILE}::test_a_skipped_sample", "skipped")
    ]
    assert instance_state() == before


def test_the_suite_splits_into_two_groups_of_its_test_files_each_once():
    root = suite.locate()
    groups = oq.split(root, 2, known={})  # nothing measured: by bytes
    files = sorted(f for group in groups for f in group)
    expected = sorted(
        "tests/" + p.relative_to(root).as_posix()
        for p in suite.files(root)
        if suite.is_test_file(p.name) and not any(d.startswith("oq_samples") for d in p.parts)
    )
    assert not any("oq_samples" in f for f in files)  # they fail on purpose
    assert (len(groups), files) == (2, expected)
    sizes = [sum((root.parent / f).stat().st_size for f in group) for group in groups]
    assert abs(sizes[0] - sizes[1]) < max(sizes) / 10


def test_an_instance_whose_configuration_cannot_be_read_runs_nothing(monkeypatch, tmp_path):
    from django.db import DatabaseError

    def unreadable():
        raise DatabaseError("no such table: documents_documenttype")

    monkeypatch.setattr(config_snapshot, "take", unreadable)
    run = oq.run(output=tmp_path / "out")
    assert run.problem == (
        "The instance's configuration could not be read: no such table: documents_documenttype"
    )
    assert (run.outcomes, run.exit_code) == ((), -1)
    assert not (tmp_path / "out").exists()


def test_the_split_gives_each_process_an_equal_share_of_the_measured_time():
    root = suite.locate()
    files = [g for group in oq.split(root, 1, known={}) for g in group]
    long, *rest = files
    # One file measured as long as all the others together; the rest by their size.
    known = {f: 1.0 for f in rest}
    known[long] = float(len(rest))

    groups = oq.split(root, 2, known=known)

    assert sorted(len(g) for g in groups) == [1, len(rest)]
    assert [long] in groups


def test_the_shipped_durations_name_test_files_of_the_suite():
    measured = oq.durations()
    root = suite.locate()
    files = {f for group in oq.split(root, 1, known={}) for f in group}

    assert len(measured) > 200
    assert set(measured) <= files | {f for f in measured if "oq_samples" in f}


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_test_never_reported_is_an_error_even_when_pytest_exits_0(db, tmp_path):
    """pytest that ends early with exit code 0 (a test calling os._exit, a crash) must
    not shrink the report to what ran: every collected test is in it, and the run fails."""
    run = oq.run(output=tmp_path, suite_root=SAMPLES.with_name("oq_samples_ending"), processes=1)

    assert run.exit_code == 0
    assert [(o.nodeid, o.requirements, o.refusal, o.outcome) for o in run.outcomes] == [
        (
            "tests/test_ending_samples.py::test_a_sample_that_ends_its_process",
            ("VAL-017",),
            False,
            "error",
        ),
        (
            "tests/test_ending_samples.py::test_a_sample_that_never_runs",
            ("VAL-017",),
            True,
            "error",
        ),
    ]
    assert run.outcomes[1].message == (
        "Collected but never reported: its pytest process ended before the test finished "
        "(exit code 0)."
    )
    assert run.passed is False


@pytest.mark.verifies("VAL-017", refusal=True)
def test_a_process_that_ends_before_collecting_is_a_problem_not_a_pass(db, tmp_path):
    """Two processes: one runs its test; the other ends with exit code 0 before it
    collects anything. Its share of the tests must not vanish from a passing run."""
    run = oq.run(output=tmp_path, suite_root=SAMPLES.with_name("oq_samples_no_collect"))

    assert run.exit_code == 0
    assert [o.outcome for o in run.outcomes] == ["passed"]  # the first process's one test
    assert run.problem.startswith(
        "pytest process 2 (exit code 0) ended before collecting its tests"
    )
    assert run.passed is False
