"""An archive whose records were edited behind its trail, its manifest recomputed and its
signature dropped, loaded knowingly with --unsigned-ok: the import still reconciles every
record with the trail before it commits, so it is refused and nothing is written. (A walk
loaded such an archive and only a later `openqms verify` found the edit.)"""

from __future__ import annotations

import json

from django.core.management import call_command

from openqms.core import signed_manifest
from tests.core.archive_records import (
    forge_manifest,
    make_records,
    openqms,
    rewrite,
    sqlite_instance,
)

REVISIONS = "records/documents.revision.jsonl"


def _effective_made_obsolete(members: dict[str, bytes]) -> None:
    rows = [json.loads(line) for line in members[REVISIONS].decode().splitlines()]
    edited = next(row for row in rows if row["state"] == "effective")
    edited["state"] = "obsolete"
    members[REVISIONS] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    forge_manifest(members, REVISIONS)
    del members[signed_manifest.NAME]


def test_unsigned_ok_still_refuses_records_that_disagree_with_their_trail(cast, tmp_path):
    make_records(cast)
    genuine = tmp_path / "archive.zip"
    call_command("archive", "export", str(genuine), "--quiet")
    forged = rewrite(genuine, tmp_path / "forged.zip", _effective_made_obsolete)
    env = sqlite_instance(tmp_path / "target")

    refused = openqms("archive", "import", str(forged), "--quiet", "--unsigned-ok", env=env)
    assert refused.returncode == 1
    assert "After loading, the records do not hold" in refused.stderr
    assert "documents: revision states" in refused.stderr

    # nothing was written: the same instance is still empty and takes the genuine archive
    done = openqms("archive", "import", str(genuine), "--quiet", env=env)
    assert done.returncode == 0, done.stderr
