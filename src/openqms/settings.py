"""OpenQMS settings: one file, driven by OPENQMS_* environment variables.

Every helper fails loudly on a value it cannot read, so a typo in a deployment stops
the server at start instead of silently running with a default.
"""

import ipaddress
import os
import re
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_seconds(name: str, default: int, *, minimum: int = 1, maximum: int) -> int:
    """A duration in whole seconds within [minimum, maximum], e.g. a network timeout."""
    value = env_int(name, default, minimum=minimum)
    if value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum} seconds, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str = "") -> str:
    """An http(s) address with no trailing slash (e.g. the base of links in emails)."""
    raw = os.environ.get(name, "").strip() or default
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an address like https://qms.example.com, not {raw!r}"
        )
    if parsed.query or parsed.fragment:
        raise ImproperlyConfigured(f"{name} must have no ?query or #fragment, not {raw!r}")
    return raw.rstrip("/")


def env_networks(name: str, default: list[str]) -> list:
    """Comma-separated IP addresses or CIDR networks, e.g. `10.0.0.5, 10.1.0.0/16`."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network"
            ) from None
    return networks


_PUBLIC_KEY = re.compile(r"^ed25519:[A-Za-z0-9+/]{43}=$")


def env_public_keys(name: str) -> list[str]:
    """Comma-separated Ed25519 public keys as `openqms keys show` prints them."""
    found = env_list(name, [])
    for item in found:
        if not _PUBLIC_KEY.match(item):
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not a public key like ed25519:<44 base64 characters>"
            )
    return found


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"OPENQMS_DATABASE_URL must start with postgresql://, not {parsed.scheme!r}://"
        )
    if not parsed.path.strip("/"):
        raise ImproperlyConfigured("OPENQMS_DATABASE_URL names no database (…/DBNAME)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": env_int("OPENQMS_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("OPENQMS_DATA_DIR", "openqms-data")).resolve()
# `openqms demo` sets this before settings load; it relaxes only what plain-HTTP
# localhost needs (secure cookies, HTTPS redirect, HSTS) and keeps a generated key.
DEMO = env_bool("OPENQMS_DEMO", False)
DEBUG = env_bool("OPENQMS_DEBUG", False)


def _secret_key() -> tuple[str, bool]:
    """Return (key, provided). A missing key gets a throw-away one; `serve` refuses it."""
    key = env_str("OPENQMS_SECRET_KEY")
    if key:
        return key, True
    key_file = DATA_DIR / "secret_key"
    if DEMO:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
        return key_file.read_text().strip(), True
    return "unset-" + secrets.token_urlsafe(50), False


SECRET_KEY, SECRET_KEY_PROVIDED = _secret_key()

ALLOWED_HOSTS = env_list("OPENQMS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEMO else [])
CSRF_TRUSTED_ORIGINS = env_list("OPENQMS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so its management commands replace Django's (`changepassword` is audited).
    "openqms.core",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "js_lib_htmx",
    "ninja",
    "openqms.documents",
    "openqms.training",
    "openqms.qms",
    "openqms.devices",
    "openqms.suppliers",
    "openqms.events",
    "openqms.design",
    "openqms.validation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "openqms.core.middleware.content_security_policy",
    "openqms.core.middleware.api_errors_as_json",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openqms.core.middleware.SignInRequiredMiddleware",
    "openqms.core.middleware.request_origin",
    "openqms.core.middleware.session_rules",
    "openqms.core.middleware.second_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "openqms.urls"
WSGI_APPLICATION = "openqms.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:tasks"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openqms.core.context_processors.navigation",  # and each module's context
            ],
        },
    },
]

DATABASE_URL = env_str("OPENQMS_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives here
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "openqms.sqlite3",
            # IMMEDIATE: every transaction takes the write lock when it starts, so two
            # writers queue instead of failing half-way (and the audit chain stays a line).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / "test-openqms.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
PASSWORD_MIN_LENGTH = env_int("OPENQMS_PASSWORD_MIN_LENGTH", 12, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Part 11 §11.300(d): repeated failed sign-ins lock the account and alert administrators.
LOCKOUT_THRESHOLD = env_int("OPENQMS_LOCKOUT_THRESHOLD", 5, minimum=1)
LOCKOUT_MINUTES = env_int("OPENQMS_LOCKOUT_MINUTES", 30, minimum=1)
# Throttling, counted before the password is checked: at most THROTTLE_ATTEMPTS sign-ins
# per client address per window, and fewer than LOCKOUT_THRESHOLD per account from any
# address, so a burst gets 429 and cannot lock an account (docs/admin-guide.md).
THROTTLE_ATTEMPTS = env_int("OPENQMS_THROTTLE_ATTEMPTS", 10, minimum=1)
THROTTLE_MINUTES = env_int("OPENQMS_THROTTLE_MINUTES", 15, minimum=1)
# Passwords: the last N cannot be reused; optional ageing (0 = off).
PASSWORD_HISTORY = env_int("OPENQMS_PASSWORD_HISTORY", 5, minimum=0)
PASSWORD_MAX_AGE_DAYS = env_int("OPENQMS_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
# API bearer tokens expire this many days after they are made.
TOKEN_DAYS = env_int("OPENQMS_TOKEN_DAYS", 90, minimum=1)
# `openqms tick` runs the full integrity check (`openqms verify`) at most this often
# (hours; 0 = at every tick).
INTEGRITY_HOURS = env_int("OPENQMS_INTEGRITY_HOURS", 24, minimum=0)

# The throttle counters live in the cache; a file cache in the data directory is shared
# by every gunicorn worker on the host (no extra service needed).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Idle timeout: a session unused for OPENQMS_SESSION_IDLE_MINUTES is signed out (and the
# sign-out audited) at its next request; the server keeps the session a while longer so
# that request can still say whose session timed out.
SESSION_IDLE_SECONDS = env_int("OPENQMS_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 12 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("OPENQMS_TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the static files straight from the installed packages (finders), so
# there is no collectstatic step; set OPENQMS_STATIC_ROOT to serve a collected copy instead.
STATIC_ROOT = env_str("OPENQMS_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
# Stored originals and attachments are regulated records: readable by the service's
# own user (and its group, for backups), never by other users of the machine
# (`openqms validate` IQ-09 checks the store is closed to others).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_HOST = env_str("OPENQMS_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("OPENQMS_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("OPENQMS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("OPENQMS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("OPENQMS_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("OPENQMS_EMAIL_FROM", "openqms@localhost")
# Bounds each connect, read and write to the mail server, so a hung server cannot hold
# `openqms tick` (and its claim on queued emails) indefinitely; core/mail.py's
# CLAIM_EXPIRY is sized on the maximum allowed here.
EMAIL_TIMEOUT = env_seconds("OPENQMS_EMAIL_TIMEOUT", 30, minimum=1, maximum=120)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach this instance: emails carry absolute links built on it. Unset, links
# point at the local `openqms serve` address, and `openqms check --deploy` warns.
BASE_URL_PROVIDED = bool(env_url("OPENQMS_BASE_URL"))
BASE_URL = env_url("OPENQMS_BASE_URL", "http://127.0.0.1:8000")

# Production-safe by default; the demo (plain HTTP on localhost) turns off what needs TLS.
SECURE_SSL_REDIRECT = env_bool("OPENQMS_SSL_REDIRECT", not DEMO)
if env_bool("OPENQMS_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For the audit trail and the sign-in throttle believe
# (the same variable and default gunicorn uses in `openqms serve`); from any other peer
# the header is ignored and the peer's own address is recorded.
FORWARDED_ALLOW_IPS = env_networks("OPENQMS_FORWARDED_ALLOW_IPS", ["127.0.0.1"])
SESSION_COOKIE_SECURE = not DEMO
CSRF_COOKIE_SECURE = not DEMO
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 0 if DEMO else env_int("OPENQMS_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("OPENQMS_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# The file store: which file types may be attached, and how large.
FILE_TYPES = set(
    env_list(
        "OPENQMS_FILE_TYPES",
        ["pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "md", "csv"],
    )
)
FILE_MAX_BYTES = env_int("OPENQMS_FILE_MAX_MB", 50, minimum=1) * (1 << 20)

# The anchored audit chain (docs/admin-guide.md, "Checking the audit trail"): the
# Ed25519 key that signs checkpoints and seals events, the append-only checkpoint log,
# both kept outside the database (and off its host), public keys of earlier instances or
# rotated keys whose checkpoints still count, and an optional S3 copy (object lock).
AUDIT_KEY = Path(env_str("OPENQMS_AUDIT_KEY") or DATA_DIR / "keys" / "audit-ed25519.pem")
CHECKPOINT_LOG = Path(env_str("OPENQMS_CHECKPOINT_LOG") or DATA_DIR / "checkpoints.log")
TRUSTED_KEYS = env_public_keys("OPENQMS_TRUSTED_KEYS")
CHECKPOINT_S3_BUCKET = env_str("OPENQMS_CHECKPOINT_S3_BUCKET")
CHECKPOINT_S3_PREFIX = env_str("OPENQMS_CHECKPOINT_S3_PREFIX", "openqms-checkpoints/")

OTP_TOTP_ISSUER = env_str("OPENQMS_TOTP_ISSUER", "OpenQMS")
AUDIT_PAGE_SIZE = env_int("OPENQMS_AUDIT_PAGE_SIZE", 50, minimum=1)
# EU GMP Annex 11 §9: the audit trail is reviewed regularly. A review is due this many
# days after the end of the period the last one covered (My tasks says so); 0: never due.
AUDIT_REVIEW_DAYS = env_int("OPENQMS_AUDIT_REVIEW_DAYS", 90, minimum=0)
# Every `migrate` that changes the database writes an audit event (version, migrations).
AUDIT_MIGRATIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("OPENQMS_LOG_LEVEL", "INFO")},
    # fontTools narrates every font subset it makes for a PDF
    "loggers": {"fontTools": {"level": "WARNING"}},
}
