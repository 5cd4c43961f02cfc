"""Settings for the test suite: the real settings, plus the test-only workflow app.

Tests set a fixed secret key and a cheap Argon2 cost (the hasher is the same algorithm;
only the work factor is lowered so the suite runs in minutes).
"""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def _test_audit_key() -> str:
    """One audit key for every test process of this user, made once: written under a
    unique name, then linked into place, so processes starting together agree on one."""
    folder = Path(tempfile.gettempdir()) / f"openqms-test-keys-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / "audit-ed25519.pem"
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        draft = folder / f"draft-{os.getpid()}-{os.urandom(4).hex()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink()
    return str(path)


# Checkpoints and seals are on in tests. Subprocesses inherit both variables; each test
# gets its own empty checkpoint log (tests/conftest.py), as each gets an empty database.
os.environ.setdefault("OPENQMS_AUDIT_KEY", _test_audit_key())
os.environ.setdefault(
    "OPENQMS_CHECKPOINT_LOG",
    str(Path(tempfile.gettempdir()) / f"openqms-test-keys-{os.getuid()}" / "checkpoints.log"),
)
os.environ.setdefault("OPENQMS_SECRET_KEY", "test-only-secret-key-not-for-any-real-instance-000")
os.environ.setdefault("OPENQMS_SSL_REDIRECT", "false")

from openqms.settings import *  # noqa: F403, E402

INSTALLED_APPS = [*INSTALLED_APPS, "openqms.testapp"]  # noqa: F405
PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# django-otp delays the next try after a wrong code (2^n s); tests type codes back to back.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The test databases start with an empty trail; tests of the migrate event turn this on.
AUDIT_MIGRATIONS = False

# The operational qualification (validation.oq) runs this suite against a scratch
# database of its own, named by the runner so it can never be the instance's database;
# pytest-django creates it before the run and drops it after.
_SCRATCH_NAME = os.environ.get("OPENQMS_TEST_DATABASE_NAME", "")
if _SCRATCH_NAME:
    DATABASES["default"]["TEST"] = {"NAME": _SCRATCH_NAME}  # noqa: F405
