"""`openqms keys init` makes the audit key readable by its owner only, prints the public
key for the auditor, and never overwrites a key; `openqms keys show` prints it again."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openqms.core import keys


def run(*args) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def test_init_writes_a_0600_key_and_prints_its_public_half(tmp_path):
    path = tmp_path / "keys" / "audit.pem"
    said = run("init", "--key", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = keys.load(str(path))
    assert f"public key: {key.public_text}" in said
    assert f"key id:     {key.key_id}" in said
    assert key.public_text.startswith("ed25519:") and len(key.public_text) == 8 + 44
    assert keys.parse_public(key.public_text) is not None


def test_init_refuses_to_overwrite_a_key(tmp_path):
    path = tmp_path / "audit.pem"
    run("init", "--key", str(path))
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists: refusing to overwrite"):
        run("init", "--key", str(path))
    assert path.read_bytes() == before


def test_show_prints_the_same_public_key(tmp_path):
    path = tmp_path / "audit.pem"
    made = run("init", "--key", str(path))
    shown = run("show", "--key", str(path))
    assert shown.splitlines() == made.splitlines()[1:3]


def test_show_without_a_key_says_how_to_make_one(tmp_path):
    with pytest.raises(CommandError, match=r"No audit key at .*\. A new instance makes one with"):
        run("show", "--key", str(tmp_path / "none.pem"))


def test_a_file_that_is_no_key_is_refused(tmp_path):
    path = tmp_path / "junk.pem"
    path.write_text("not a key")
    with pytest.raises(CommandError, match="is not an unencrypted PEM private key"):
        run("show", "--key", str(path))
