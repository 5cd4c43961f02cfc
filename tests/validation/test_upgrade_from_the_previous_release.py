"""An instance the previous release (0.1.0) made upgrades with this release's `openqms
migrate`: its audit chain carries on unbroken, every `openqms verify` check holds, and
the trail says which version applied which migrations.

The instance is a demo that release 0.1.0 itself made (release/previous_instance.py);
it is a SQLite file, migrated in a subprocess whatever engine this run uses."""

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import openqms

INSTANCE = Path(__file__).parent / "data" / "instance-0.1.0.zip"


def trail(database: Path) -> list[dict]:
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM core_auditevent ORDER BY seq")]


def actions(database: Path, after: int) -> list[tuple[str, dict]]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT action, changes FROM core_auditevent WHERE seq > ? ORDER BY seq", [after]
        ).fetchall()
    return [(action, json.loads(changes)) for action, changes in rows]


def openqms_command(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENQMS_", "DJANGO_"))}
    env |= {
        "OPENQMS_DATA_DIR": str(data),
        "OPENQMS_SECRET_KEY": (data / "secret_key").read_text().strip(),
        "DJANGO_SETTINGS_MODULE": "openqms.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "openqms", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    data = tmp_path_factory.mktemp("instance-0.1.0")
    with zipfile.ZipFile(INSTANCE) as archive:
        archive.extractall(data)
    database = data / "openqms.sqlite3"
    before = trail(database)
    migrated = openqms_command("migrate", "--no-input", data=data)
    verified = openqms_command("verify", data=data)
    return before, database, migrated, verified


@pytest.mark.verifies("VAL-041")
def test_the_upgrade_migrates_and_every_integrity_check_holds(upgraded):
    before, _, migrated, verified = upgraded

    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("integrity: all checks hold")
    assert len(before) == 197  # what 0.1.0's demo wrote


@pytest.mark.verifies("VAL-041", refusal=True)
def test_the_upgrade_changes_no_earlier_event_and_records_what_it_applied(upgraded):
    before, database, _, _ = upgraded

    after = trail(database)

    # Nothing 0.1.0 wrote was touched (later releases added columns, such as the seal).
    kept = [{column: row[column] for column in before[0]} for row in after[: len(before)]]
    assert kept == before
    written = actions(database, after=len(before))
    migrated = [changes for action, changes in written if action == "core.system.migrated"]
    assert len(migrated) == 1
    assert migrated[0]["openqms_version"] == openqms.__version__
    assert "qms.0001_frame" in migrated[0]["migrations"]
    assert "design.0001_initial" in migrated[0]["migrations"]
    upgraded = [changes for action, changes in written if action == "core.system.upgraded"]
    assert upgraded == [{"from": "0.1.0", "to": openqms.__version__}]
