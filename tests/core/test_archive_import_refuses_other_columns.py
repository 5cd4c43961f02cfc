"""An archive whose tables have other columns than this version's (written by another
OpenQMS version) is refused by import, naming the table, with nothing written."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from openqms.core.models import User
from openqms.testing import event_count
from tests.core.archive_records import make_records, resign, rewrite


def _older_users(members):
    manifest = json.loads(members["manifest.json"])
    manifest["records"]["core.user"]["fields"].remove("attempt_claimed_at")
    members["manifest.json"] = json.dumps(manifest).encode()
    resign(members)  # as the older version would have signed it, with the same key


def test_an_archive_of_other_columns_is_refused_naming_the_table(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    older = rewrite(archive, tmp_path / "older.zip", _older_users)
    before = (event_count(), User.objects.count())

    call_command("archive", "verify", str(older))  # intact: only its columns differ
    with pytest.raises(CommandError, match=r"records/core\.user\.jsonl: its columns"):
        call_command("archive", "import", str(older), "--quiet")
    assert (event_count(), User.objects.count()) == before
