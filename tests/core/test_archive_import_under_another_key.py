"""An archive taken to an instance holding another audit key: its manifest is signed by a
key that instance does not know, so verify says so and import refuses, writing nothing.
Once the exporting instance's public key is trusted there (OPENQMS_TRUSTED_KEYS), the
archive loads all the same, and the import says the trail is not anchored there yet."""

from __future__ import annotations

from django.core.management import call_command

from openqms.core import keys
from tests.core.archive_records import make_records, openqms, sqlite_instance


def test_import_under_another_key_is_refused_until_the_source_key_is_trusted(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    source = keys.current()
    assert source is not None
    other = tmp_path / "other-key.pem"
    keys.create_key(other)
    env = {**sqlite_instance(tmp_path / "target"), "OPENQMS_AUDIT_KEY": str(other)}

    checked = openqms("archive", "verify", str(archive), env=env)
    assert checked.returncode == 1  # consistent, but nothing trusted here vouches for it
    assert f"manifest: signed by an unknown key ({source.key_id})" in checked.stdout
    assert "were not checked against a signature" in checked.stdout
    assert "consistent but not authenticated" in checked.stderr
    given = openqms("archive", "verify", str(archive), "--public-key", source.public_text, env=env)
    assert given.returncode == 0, given.stderr
    assert f"manifest: signed by key {source.key_id}, trusted" in given.stdout

    refused = openqms("archive", "import", str(archive), "--quiet", env=env)
    assert refused.returncode == 1
    assert (
        f"Refusing to import: the archive's manifest is signed by an unknown key "
        f"({source.key_id})" in refused.stderr
    )
    assert "nothing was written" in refused.stderr

    # the instance is still empty: an import into one that holds records is refused
    trusting = {**env, "OPENQMS_TRUSTED_KEYS": source.public_text}
    done = openqms("archive", "import", str(archive), "--quiet", env=trusting)
    assert done.returncode == 0, done.stderr
    assert "not anchored under this instance's audit key" in done.stdout
