"""Settings for the test suite: the real settings, plus the test-only workflow app.

Tests set a fixed secret key and a cheap Argon2 cost (the hasher is the same algorithm;
only the work factor is lowered so the suite runs in minutes).
"""

import os

os.environ.setdefault("OPENQMS_SECRET_KEY", "test-only-secret-key-not-for-any-real-instance-000")
os.environ.setdefault("OPENQMS_SSL_REDIRECT", "false")

from openqms.settings import *  # noqa: F403

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
