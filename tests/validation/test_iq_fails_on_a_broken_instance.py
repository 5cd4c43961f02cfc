"""A deliberately broken instance fails IQ, and the deviation names the cause."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import openqms
from openqms.core.models import AuditEvent
from openqms.validation import iq, manifest
from openqms.validation.actions import record_version

pytestmark = pytest.mark.django_db


def failed(results):
    return {r.id: r.deviation for r in results if not r.passed}


@pytest.mark.verifies("VAL-007", "VAL-011", refusal=True)
def test_a_dropped_trigger_fails_iq_naming_it(cast, release_files, production_like, tmp_path):
    manifest_path, lock_path = release_files
    name = (
        "core_auditevent_no_update"
        if connection.vendor == "sqlite"
        else ("core_auditevent_no_change")
    )
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(
            f"DROP TRIGGER {name}"
            + ("" if connection.vendor == "sqlite" else " ON core_auditevent")
        )
    head = list(AuditEvent.objects.values_list("seq", "hash"))

    with pytest.raises(CommandError, match="IQ failed") as raised:
        call_command(
            "validate",
            "--iq-only",
            "--output",
            str(tmp_path),
            "--manifest",
            str(manifest_path),
            "--lock",
            str(lock_path),
        )

    assert raised.value.returncode == 1
    checks = json.loads((tmp_path / "iq.json").read_text())["checks"]
    failed = {c["id"]: c["deviation"] for c in checks if not c["passed"]}
    assert list(failed) == ["IQ-07", "IQ-08"]  # check --deploy refuses it too (openqms.E003)
    assert failed["IQ-07"].startswith(f"missing: {name}. Run `openqms migrate`")
    assert failed["IQ-08"].startswith("openqms.E003: Database 'default' lacks the protective")
    assert name in failed["IQ-08"]
    assert list(AuditEvent.objects.values_list("seq", "hash")) == head


@pytest.mark.verifies("VAL-001", refusal=True)
def test_a_changed_missing_or_added_installed_file_fails_iq_naming_it(tmp_path):
    root = tmp_path / "site-packages"
    shutil.copytree(
        iq.package_root() / "openqms",
        root / "openqms",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    made = manifest.from_directory(root, openqms.__version__)
    path = tmp_path / "manifest.json"
    path.write_text(made.to_json())
    with (root / "openqms/core/access.py").open("a") as edited:
        edited.write("\n# a local patch\n")
    (root / "openqms/core/errors.py").unlink()
    (root / "openqms/core/backdoor.py").write_text("pass\n")
    (root / "openqms/core/__pycache__").mkdir(exist_ok=True)
    (root / "openqms/core/__pycache__/access.cpython-311.pyc").write_bytes(b"compiled")

    version, files = iq.check_files(iq.Sources(manifest=path, root=root))

    assert version.passed
    assert not files.passed
    assert files.deviation == (
        "missing: openqms/core/errors.py; changed: openqms/core/access.py; "
        "not in the release: openqms/core/backdoor.py"
    )
    assert files.found.endswith("1 missing, 1 changed, 1 extra")


@pytest.mark.verifies("VAL-002", refusal=True)
def test_a_manifest_of_another_version_fails_the_version_check(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(manifest.Manifest("9.9.9", {}).to_json())

    version, _ = iq.check_files(iq.Sources(manifest=path, root=tmp_path))

    assert not version.passed
    assert version.expected == "OpenQMS 9.9.9"
    assert version.deviation.startswith("The manifest is for 9.9.9;")


@pytest.mark.verifies("VAL-003", refusal=True)
def test_a_dependency_at_another_version_fails_iq_naming_it(release_files):
    _, lock_path = release_files
    text = lock_path.read_text()
    installed = next(line for line in text.splitlines() if line.startswith("django=="))
    lock_path.write_text(text.replace(installed, "django==5.1.0") + "not-installed-pkg==1.0\n")

    result = iq.check_dependencies(iq.Sources(lock=lock_path))

    assert not result.passed
    assert result.deviation == (
        f"django: locked 5.1.0, installed {installed.split('==')[1]}; "
        "not-installed-pkg: locked 1.0, not installed"
    )


@pytest.mark.verifies("VAL-006", refusal=True)
def test_a_pending_migration_fails_iq_naming_it():
    MigrationRecorder.Migration.objects.filter(
        app="testapp", name="0002_specimen_patient_details"
    ).delete()  # rolled back with the test

    result = iq.check_migrations()

    assert not result.passed
    assert "testapp.0002_specimen_patient_details" in result.deviation
    assert result.deviation.endswith("Run `openqms migrate`.")


@pytest.mark.verifies("VAL-008", refusal=True)
def test_deploy_check_warnings_fail_iq_and_are_listed(settings, production_like):
    settings.BASE_URL_PROVIDED = False

    result = iq.check_deploy()

    assert not result.passed
    assert result.deviation.startswith("openqms.W010: OPENQMS_BASE_URL is not set")


@pytest.mark.verifies("VAL-009", refusal=True)
def test_a_file_store_others_can_read_fails_iq(production_like):
    production_like.chmod(0o755)

    store, key = iq.check_locations()

    assert not store.passed
    assert store.deviation == f"The file store {production_like} is open to others (mode 755)."
    assert key.passed


@pytest.mark.verifies("VAL-009", refusal=True)
def test_a_missing_or_readable_audit_key_fails_iq(settings, tmp_path, production_like):
    settings.AUDIT_KEY = tmp_path / "keys" / "audit.pem"

    _, missing = iq.check_locations()
    settings.AUDIT_KEY.parent.mkdir()
    settings.AUDIT_KEY.write_text("key")
    settings.AUDIT_KEY.chmod(0o644)
    _, readable = iq.check_locations()

    assert missing.deviation == f"The audit key {settings.AUDIT_KEY} does not exist."
    assert readable.deviation == (
        f"The audit key {settings.AUDIT_KEY} is open to others (mode 644)."
    )


@pytest.mark.verifies("VAL-010", refusal=True)
def test_a_database_clock_off_the_app_clock_or_no_ntp_fails_iq(monkeypatch):
    real = iq.database_now
    monkeypatch.setattr(iq, "database_now", lambda: real() + iq.CLOCK_TOLERANCE * 3)

    off = iq.check_time(ntp=lambda: "synchronised")
    monkeypatch.setattr(iq, "database_now", real)
    unsynced = iq.check_time(ntp=lambda: "not synchronised")
    fine = iq.check_time(ntp=lambda: "")

    assert off.deviation.startswith("The database clock is 6.0 s off the app's.")
    assert unsynced.deviation == "The OS reports its clock is not synchronised by NTP."
    assert fine.passed
    assert fine.found.endswith("NTP: the OS does not say")


@pytest.mark.verifies("VAL-004", "VAL-005", refusal=True)
def test_a_python_or_database_older_than_supported_fails_iq(monkeypatch):
    monkeypatch.setattr(iq, "MIN_PYTHON", (99, 0))
    monkeypatch.setattr(iq, "MIN_SQLITE", (99, 0))
    monkeypatch.setattr(iq, "MIN_POSTGRES", 99)

    python, database = iq.check_python(), iq.check_database()

    assert python.deviation.endswith("is older than 99.0.")
    assert not database.passed
    assert database.deviation.endswith(("is too old.", "is older than 99."))


@pytest.mark.verifies("VAL-012", refusal=True)
def test_validate_refuses_a_missing_manifest_or_an_unwritable_folder(tmp_path, release_files):
    manifest_path, lock_path = release_files
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    with pytest.raises(CommandError) as missing:
        call_command(
            "validate",
            "--iq-only",
            "--output",
            str(tmp_path / "out"),
            "--manifest",
            str(tmp_path / "gone.json"),
        )
    with pytest.raises(CommandError) as unwritable:
        call_command(
            "validate",
            "--iq-only",
            "--output",
            str(blocker / "out"),
            "--manifest",
            str(manifest_path),
            "--lock",
            str(lock_path),
        )

    assert str(missing.value) == (
        f"The manifest {tmp_path / 'gone.json'} does not exist or is not a file."
    )
    assert not (tmp_path / "out").exists()
    assert str(unwritable.value).startswith(f"Cannot write the report to {blocker / 'out'}: ")


@pytest.mark.verifies("VAL-043", refusal=True)
def test_a_release_installed_without_migrate_fails_iq_naming_both_versions(monkeypatch):
    assert iq.check_recorded_version().deviation.startswith(
        "No version is recorded in the audit trail. Run `openqms migrate`"
    )
    record_version(version="0.1.9", installing=True)
    monkeypatch.setattr(openqms, "__version__", "0.2.0")  # installed, migrate not run

    result = iq.check_recorded_version()

    assert (result.id, result.passed, result.expected, result.found) == (
        "IQ-12",
        False,
        "0.2.0",
        "0.1.9",
    )
    assert result.deviation.startswith(
        "The audit trail last recorded 0.1.9, but 0.2.0 is running: it was installed (or "
        "a backup or archive of another release was loaded) without `openqms migrate`"
    )
    record_version(version="0.2.0", installing=False)  # what migrate does
    assert iq.check_recorded_version().passed
