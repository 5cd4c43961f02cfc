"""`openqms archive verify` checks an archive where no database answers at all."""

from __future__ import annotations

from django.core.management import call_command

from tests.core.archive_records import make_records, openqms


def test_verify_runs_with_no_database_reachable(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    nowhere = {
        "OPENQMS_DATA_DIR": str(tmp_path / "elsewhere"),
        "OPENQMS_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/no_such_database",
    }
    done = openqms("archive", "verify", str(archive), env=nowhere)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("archive intact:")
    assert "1 checkpoint," in done.stdout
