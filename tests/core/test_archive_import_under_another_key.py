"""An archive imported under another audit key than the one that sealed its events is
loaded all the same, and the import says the trail is not anchored there yet; verifying
the archive elsewhere names the checkpoints whose key it was not given."""

from __future__ import annotations

from django.core.management import call_command

from openqms.core import keys
from tests.core.archive_records import make_records, openqms, sqlite_instance


def test_import_under_another_key_loads_and_says_the_trail_is_not_anchored(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    other = tmp_path / "other-key.pem"
    keys.create_key(other)
    env = {**sqlite_instance(tmp_path / "target"), "OPENQMS_AUDIT_KEY": str(other)}

    checked = openqms("archive", "verify", str(archive), env=env)
    assert checked.returncode == 0, checked.stderr
    assert "were not checked against a signature" in checked.stdout

    done = openqms("archive", "import", str(archive), "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    assert "not anchored under this instance's audit key" in done.stdout
