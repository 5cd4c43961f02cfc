"""Fixtures shared by the core tests."""

import pytest

from openqms.core import checkpoint_log
from openqms.testing import FastArgon2PasswordHasher


@pytest.fixture
def checks(monkeypatch):
    """How many passwords were really checked (hashes verified): the lockout and throttle
    tests count them to prove a refused attempt never reached the password."""
    counted = []
    verify = FastArgon2PasswordHasher.verify

    def counting_verify(self, password, encoded):
        counted.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(FastArgon2PasswordHasher, "verify", counting_verify)
    return counted


@pytest.fixture
def file_store(settings, tmp_path):
    """A file store of the test's own (the backup tests see what was written to it)."""
    store = tmp_path / "store"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": store},
        },
    }
    return store


@pytest.fixture
def s3(monkeypatch):
    """A stubbed S3 client for the checkpoints' write-once copy (botocore's Stubber
    answers, nothing reaches the network); tests turn the bucket on in settings. boto3
    is an optional extra (openqms[s3]): without it the tests using this are skipped,
    as an installation's OQ run may well have no boto3."""
    boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (openqms[s3])")
    from botocore.stub import Stubber

    client = boto3.client(
        "s3",
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    monkeypatch.setattr(checkpoint_log, "s3_client", lambda: client)
    with Stubber(client) as stubber:
        yield stubber
