"""A fresh test instance that IQ can pass: a manifest of the package as it is on disk
and a lock file of what is installed, both made with the code the release uses, and the
settings a production instance would have."""

from __future__ import annotations

import pytest

import openqms
from openqms.validation import iq, lock, manifest
from openqms.validation.actions import record_version


@pytest.fixture
def release_files(tmp_path):
    """(manifest, lock) for this environment: the manifest of the package where it was
    imported from, and the packaged lock's pins at the versions installed here."""
    made = manifest.from_directory(iq.package_root(), openqms.__version__)
    manifest_path = tmp_path / "release-manifest.json"
    manifest_path.write_text(made.to_json(), encoding="utf-8")
    here = lock.installed()
    pins = [name for name in lock.read(lock.PACKAGED) if name in here]
    lock_path = tmp_path / "requirements.lock"
    lock_path.write_text("".join(f"{name}=={here[name]}\n" for name in pins), encoding="utf-8")
    return manifest_path, lock_path


@pytest.fixture
def production_like(settings, tmp_path, db):
    """Settings as `check --deploy` wants them, a private file store, and the running
    version recorded in the trail by the call `openqms migrate` makes (the test database
    is built with AUDIT_MIGRATIONS off; with the cast's events already in the trail it
    reads as an upgrade from 0.1.0, which IQ-12 accepts alike)."""
    record_version(version=openqms.__version__, installing=True)
    store = tmp_path / "files"
    store.mkdir(mode=0o700)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": store}},
    }
    settings.ALLOWED_HOSTS = ["qms.example.com"]
    settings.BASE_URL_PROVIDED = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.DEBUG = False
    return store
