"""The openssl commands docs/archive-format.md gives an auditor, run as written on a real
archive's manifest.sig: the key id they print is the one manifest.sig names, and openssl
accepts the signature, and rejects it once the manifest is changed by one byte. Skipped
where no openssl is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from openqms.core import keys

DOC = Path(__file__).resolve().parents[2] / "docs" / "archive-format.md"


def documented_commands() -> str:
    text = DOC.read_text()
    section = text.split("### Checking the signature with openssl", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "no sh block under 'Checking the signature with openssl'"
    return block[1]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl on this machine")
def test_the_documented_openssl_commands_check_an_archives_manifest(db, tmp_path):
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    unpacked = tmp_path / "a"
    with zipfile.ZipFile(archive) as z:
        z.extractall(unpacked, members=["manifest.json", "manifest.sig"])
    key = keys.current()
    assert key is not None
    script = re.sub(r"^KEY=.*$", f"KEY='{key.public_text}'", documented_commands(), flags=re.M)

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["sh", "-c", script], cwd=unpacked, capture_output=True, text=True, check=False
        )

    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[:3] == [
        key.key_id,
        f"key_id: {key.key_id}",
        "Signature Verified Successfully",
    ]

    manifest = unpacked / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"format"', b'"formaT"', 1))
    forged = run()
    assert forged.returncode == 1
    assert "Signature Verification Failure" in forged.stdout
