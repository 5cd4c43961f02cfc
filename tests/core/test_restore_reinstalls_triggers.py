"""A backup of a database that had lost its append-only triggers (review S6): `openqms
restore` puts the protective triggers back before its integrity checks, and says which
were missing. SQLite instances in subprocesses (the triggers are the same on both
engines' install path, core.triggers)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from openqms.core import signed_manifest
from tests.core.archive_records import openqms, sqlite_instance


def triggers(folder: Path) -> list[str]:
    with closing(sqlite3.connect(folder)) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    return sorted(name for (name,) in rows)


def test_restore_reinstalls_the_triggers_a_backed_up_database_had_lost(tmp_path):
    source = sqlite_instance(tmp_path / "source")
    everything = triggers(tmp_path / "source" / "openqms.sqlite3")
    protected = [name for name in everything if name.startswith("core_")]  # core.triggers'
    assert "core_auditevent_no_delete" in protected
    with closing(sqlite3.connect(tmp_path / "source" / "openqms.sqlite3")) as db:
        for name in everything:
            db.execute(f"DROP TRIGGER {name}")
        db.commit()
    made = openqms("backup", str(tmp_path / "backup"), env=source)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "backup" / signed_manifest.NAME).is_file()

    target = sqlite_instance(tmp_path / "target")
    done = openqms("restore", str(tmp_path / "backup"), env=target)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "The backup's database lacked protective triggers; reinstalled: "
        + ", ".join(protected)
        + "."
    ) in done.stdout
    assert "Integrity checks passed." in done.stdout
    assert set(triggers(tmp_path / "target" / "openqms.sqlite3")) >= set(protected)
