"""An archive and a backup hold password hashes and second-factor secrets: only their
owner may read them."""

import stat

from django.core.management import call_command

from tests.core.archive_records import make_records


def test_an_archive_is_written_readable_by_its_owner_only(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_a_backup_directory_is_open_to_its_owner_only(cast, tmp_path, file_store):
    make_records(cast)
    target = tmp_path / "backup"
    call_command("backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
