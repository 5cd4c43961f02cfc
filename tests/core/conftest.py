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
