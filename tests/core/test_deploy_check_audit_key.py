"""`openqms check --deploy` warns when the trail cannot be anchored: no audit key, a key
others can read, or a checkpoint log beside the SQLite database it is meant to anchor."""

import os

import pytest
from django.db import connection

from openqms.core import checks, keys


def ids(found):
    return [message.id for message in found]


def test_no_warning_for_a_private_key_and_a_log_kept_apart(settings, tmp_path):
    settings.AUDIT_KEY = tmp_path / "k" / "audit.pem"
    keys.create_key(settings.AUDIT_KEY)
    settings.CHECKPOINT_LOG = tmp_path / "elsewhere" / "checkpoints.log"
    assert checks.audit_key_kept_safe(None) == []
    assert checks.checkpoint_log_kept_apart(None) == []


def test_a_missing_key_is_a_warning(settings, tmp_path):
    settings.AUDIT_KEY = tmp_path / "none.pem"
    (warning,) = checks.audit_key_kept_safe(None)
    assert warning.id == "openqms.W020"
    assert "the audit trail is not anchored" in warning.msg
    assert "openqms keys init" in warning.hint


def test_a_key_others_can_read_is_a_warning(settings, tmp_path):
    settings.AUDIT_KEY = tmp_path / "audit.pem"
    keys.create_key(settings.AUDIT_KEY)
    os.chmod(settings.AUDIT_KEY, 0o644)
    (warning,) = checks.audit_key_kept_safe(None)
    assert warning.id == "openqms.W021"
    assert "(mode 644)" in warning.msg


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite database's folder")
def test_a_log_beside_the_sqlite_database_is_a_warning(settings):
    database = settings.DATABASES["default"]["NAME"]
    settings.CHECKPOINT_LOG = os.path.join(os.path.dirname(database), "checkpoints.log")
    assert ids(checks.checkpoint_log_kept_apart(None)) == ["openqms.W022"]


def test_a_bucket_without_boto3_is_a_warning(settings, monkeypatch, tmp_path):
    settings.CHECKPOINT_LOG = tmp_path / "checkpoints.log"
    settings.CHECKPOINT_S3_BUCKET = "qms-checkpoints"
    monkeypatch.setattr(checks.checkpoint_log, "boto3", None)
    assert ids(checks.checkpoint_log_kept_apart(None)) == ["openqms.W023"]


def test_a_key_file_that_is_no_key_is_a_warning(settings, tmp_path):
    settings.AUDIT_KEY = tmp_path / "audit.pem"
    settings.AUDIT_KEY.write_text("not a key")
    os.chmod(settings.AUDIT_KEY, 0o600)
    (warning,) = checks.audit_key_kept_safe(None)
    assert warning.id == "openqms.W024"
    assert "is not an unencrypted PEM private key" in warning.msg
