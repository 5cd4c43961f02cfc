"""The review's forged archive (B1): an anchored instance's archive with event #n
rewritten, every hash recomputed, every seal blanked, the checkpoints dropped and the
manifest recomputed. Its manifest's signature can no longer hold, so `archive verify`
names that (or says the archive is not signed) and `archive import` refuses it, writing
nothing; only `--unsigned-ok` loads it, and then nothing signs a checkpoint over it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openqms.core import audit, keys, signed_manifest
from openqms.core.models import Checkpoint, StoredFile, User
from openqms.testing import event_count
from tests.core.archive_records import (
    forge_manifest,
    make_records,
    openqms,
    resign,
    rewrite,
    sqlite_instance,
)

CHAIN = "records/core.auditevent.jsonl"
CHECKPOINTS = "records/core.checkpoint.jsonl"


def forge(members: dict[str, bytes]) -> None:
    """/tmp/review-attacks/forge.py: one reason rewritten, the chain recomputed, every seal
    blanked, the checkpoints dropped and every part's hash in the manifest recomputed."""
    events = [json.loads(line) for line in members[CHAIN].decode().splitlines()]
    prev = audit.GENESIS_HASH
    for e in events:
        if e["seq"] == len(events) - 2:
            e["reason"] = "forged reason"
        e["seal"], e["prev_hash"] = "", prev
        e["hash"] = prev = hashlib.sha256(
            audit.event_text(*(e[name] for name in audit.HASHED_FIELDS)).encode()
        ).hexdigest()
    members[CHAIN] = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode()
    members[CHECKPOINTS] = b""
    forge_manifest(members, CHAIN)
    forge_manifest(members, CHECKPOINTS)
    manifest = json.loads(members["manifest.json"])
    manifest["chain"]["head_hash"] = prev
    members["manifest.json"] = json.dumps(manifest, indent=1).encode()


def _unsigned(members):
    forge(members)
    del members[signed_manifest.NAME]


def _signature_kept(members):
    forge(members)


def _signed_by_the_forger(members):
    forge(members)
    forger = keys.create_key(Path(members.pop("_key_path").decode()))
    members[signed_manifest.NAME] = (
        f"{signed_manifest.FORMAT}\nkey_id: {forger.key_id}\npublic_key: {forger.public_text}\n"
        f"signature: {forger.sign(members['manifest.json'].decode())}\n"
    ).encode()


@pytest.fixture
def archive(cast, tmp_path) -> Path:
    make_records(cast)
    path = tmp_path / "archive.zip"
    call_command("archive", "export", str(path), "--quiet")
    assert Checkpoint.objects.exists()
    return path


def forged(archive: Path, change) -> Path:
    def apply(members):
        members["_key_path"] = str(archive.parent / "forger.pem").encode()
        change(members)
        members.pop("_key_path", None)

    return rewrite(archive, archive.parent / "forged.zip", apply)


@pytest.mark.verifies("CORE-023", refusal=True)
@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_unsigned, "not signed (no manifest.sig): nothing vouches for its manifest"),
        (_signed_by_the_forger, "signed by an unknown key ("),
    ],
)
def test_verify_says_a_forged_archive_is_not_signed_by_a_trusted_key(archive, change, said, capsys):
    with pytest.raises(CommandError) as refused:  # its hashes agree: consistent, not authentic
        call_command("archive", "verify", str(forged(archive, change)))
    assert "consistent but not authenticated" in str(refused.value)
    assert f"manifest: {said}" in capsys.readouterr().out


def test_verify_accepts_an_unsigned_archive_only_when_told(archive, capsys):
    call_command("archive", "verify", str(forged(archive, _unsigned)), "--unsigned-ok")
    out = capsys.readouterr().out
    assert out.startswith("archive intact:")
    assert "manifest: not signed (no manifest.sig)" in out


@pytest.mark.verifies("CORE-023", refusal=True)
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_unsigned, "the archive's manifest is not signed (no manifest.sig)"),
        (_signature_kept, "manifest.sig: the manifest does not match its signature by key"),
        (_signed_by_the_forger, "the archive's manifest is signed by an unknown key"),
    ],
)
def test_import_refuses_the_reviewers_forged_archive_and_writes_nothing(
    archive, file_store, change, reason
):
    path = forged(archive, change)
    before = (event_count(), User.objects.count(), StoredFile.objects.count())
    stored = sorted(file_store.rglob("*"))
    with pytest.raises(CommandError) as refused:
        call_command("archive", "import", str(path), "--quiet")
    assert reason in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert (event_count(), User.objects.count(), StoredFile.objects.count()) == before
    assert sorted(file_store.rglob("*")) == stored


def test_verify_prints_the_signing_key_and_flags_a_forgery(archive, capsys):
    with pytest.raises(CommandError):
        call_command("archive", "verify", str(forged(archive, _unsigned)))
    out = capsys.readouterr().out
    assert "manifest: not signed (no manifest.sig): nothing vouches for its manifest" in out
    assert "note: 0 checkpoints: no checkpoint in this archive signs its audit trail." in out
    with pytest.raises(CommandError) as damaged:
        call_command("archive", "verify", str(forged(archive, _signature_kept)))
    assert "manifest.sig: the manifest does not match its signature by key" in str(damaged.value)
    call_command("archive", "verify", str(archive))
    own = keys.current()
    assert own is not None
    assert f"manifest: signed by key {own.key_id}, trusted" in capsys.readouterr().out


def _seal_altered(members):
    lines = members[CHAIN].decode().splitlines(keepends=True)
    event = json.loads(lines[-3])
    event["seal"] = "0" * 64
    lines[-3] = json.dumps(event, ensure_ascii=False) + "\n"
    members[CHAIN] = "".join(lines).encode()
    forge_manifest(members, CHAIN)
    resign(members)  # even an archive the key vouches for: its seals are checked here


def test_a_seal_that_does_not_match_is_named_when_this_instance_holds_the_key(archive):
    with pytest.raises(CommandError) as damaged:
        call_command("archive", "verify", str(forged(archive, _seal_altered)))
    assert "its seal does not match it under key" in str(damaged.value)


def test_unsigned_ok_loads_a_forged_archive_but_never_anchors_it(archive, tmp_path):
    path = forged(archive, _unsigned)
    env = sqlite_instance(tmp_path / "target")
    refused = openqms("archive", "import", str(path), "--quiet", env=env)
    assert refused.returncode == 1
    assert "or import it unanchored with --unsigned-ok" in refused.stderr
    done = openqms("archive", "import", str(path), "--quiet", "--unsigned-ok", env=env)
    assert done.returncode == 0, done.stderr
    assert "The imported trail is NOT anchored: its manifest is not signed" in done.stdout
    assert "Checkpoint #" not in done.stdout
    assert "no checkpoint was signed over it" in done.stdout
