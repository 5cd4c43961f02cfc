"""A damaged archive is refused, naming the damaged part (and line): by `openqms archive
verify`, by the reference verifier run with plain Python, and by `import`, which then
writes nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from openqms.core.archive import reference
from openqms.core.models import StoredFile
from openqms.testing import event_count
from tests.core.archive_records import make_records, rewrite

CHAIN = "records/core.auditevent.jsonl"


def _byte_changed_in_a_file(members):
    name = next(n for n in members if n.startswith("files/"))
    members[name] = b"X" + members[name][1:]
    return name


def _line_removed(members):
    name = "records/documents.revision.jsonl"
    members[name] = b"".join(members[name].splitlines(keepends=True)[:-1])
    return name


def _event_removed_and_manifest_forged(members):
    """A forger removes an event and fixes the manifest's hash, size and count."""
    lines = members[CHAIN].splitlines(keepends=True)
    members[CHAIN] = b"".join(lines[:4] + lines[5:])
    manifest = json.loads(members["manifest.json"])
    manifest["parts"][CHAIN] = {
        "sha256": hashlib.sha256(members[CHAIN]).hexdigest(),
        "size": len(members[CHAIN]),
    }
    manifest["counts"][CHAIN] -= 1
    members["manifest.json"] = json.dumps(manifest).encode()
    return f"{CHAIN} line 5"


def _manifest_edited(members):
    manifest = json.loads(members["manifest.json"])
    manifest["parts"]["records/core.user.jsonl"]["sha256"] = "0" * 64
    members["manifest.json"] = json.dumps(manifest).encode()
    return "records/core.user.jsonl"


def _part_added(members):
    members["records/extra.jsonl"] = b'{"id": 1}\n'
    return "records/extra.jsonl"


@pytest.mark.parametrize(
    "damage",
    [
        _byte_changed_in_a_file,
        _line_removed,
        _event_removed_and_manifest_forged,
        _manifest_edited,
        _part_added,
    ],
)
def test_a_damaged_archive_is_refused_naming_the_damage(cast, tmp_path, damage):
    make_records(cast)
    intact = tmp_path / "intact.zip"
    call_command("archive", "export", str(intact), "--quiet")
    named: list[str] = []
    damaged = rewrite(intact, tmp_path / "damaged.zip", lambda m: named.append(damage(m)))

    with pytest.raises(CommandError, match="DAMAGED") as refused:
        call_command("archive", "verify", str(damaged))
    assert named[0] in str(refused.value)

    plain = subprocess.run(
        [sys.executable, "-I", reference.__file__, str(damaged)], capture_output=True, text=True
    )
    assert plain.returncode == 1
    assert named[0].split(" line ")[0] in plain.stdout

    events, files = event_count(), StoredFile.objects.count()
    with pytest.raises(CommandError, match="damaged archive; nothing was written") as refused:
        call_command("archive", "import", str(damaged), "--quiet")
    assert named[0] in str(refused.value)
    assert (event_count(), StoredFile.objects.count()) == (events, files)
