"""Fixtures shared by the core tests."""

import pytest

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
