"""System checks that `openqms check --deploy` runs.

The database checks (encoding, protective triggers) are deployment checks that look at
every configured database, so `check --deploy` runs them without `--database`. They are
not run by `migrate`: a fresh database has no triggers until it is migrated, and a
database whose triggers were removed is repaired by `migrate` (post_migrate reinstalls
them). `serve` refuses to start without them (see `database_problems`).
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

from openqms.core import checkpoint_log, keys
from openqms.core.triggers import missing_triggers

MIGRATE_HINT = (
    "Run `openqms migrate`: it reinstalls them. Then find out who removed them (the "
    "database log), and run `openqms audit verify`."
)


@register(Tags.security, deploy=True)
def secret_key_provided(app_configs, **kwargs):
    if settings.SECRET_KEY_PROVIDED:
        return []
    return [
        Error(
            "OPENQMS_SECRET_KEY is not set.",
            hint='Set it to a long random value, e.g. `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`, and keep it secret.',
            id="openqms.E001",
        )
    ]


@register(deploy=True)
def base_url_provided(app_configs, **kwargs):
    """Emails carry absolute links; without the instance's address they point nowhere."""
    if settings.BASE_URL_PROVIDED:
        return []
    return [
        Warning(
            "OPENQMS_BASE_URL is not set: links in emails point at http://127.0.0.1:8000.",
            hint="Set it to the address people open OpenQMS at, e.g. https://qms.example.com",
            id="openqms.W010",
        )
    ]


def encoding_errors(alias: str) -> list[Error]:
    """The audit chain counts characters; on PostgreSQL that needs a UTF8 database."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return []
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        encoding = cursor.fetchone()[0]
    if encoding.upper() in {"UTF8", "UTF-8"}:
        return []
    return [
        Error(
            f"Database {alias!r} uses the {encoding} encoding; OpenQMS needs UTF8.",
            hint="Create it with: createdb --encoding=UTF8 --template=template0 NAME",
            id="openqms.E002",
        )
    ]


def trigger_errors(alias: str) -> list[Error]:
    """The append-only audit trail and the signature and user protections are in place."""
    conn = connections[alias]
    if "core_auditevent" not in conn.introspection.table_names():
        return [
            Error(
                f"Database {alias!r} is not migrated: it has no OpenQMS tables.",
                hint="Run `openqms migrate`.",
                id="openqms.E003",
            )
        ]
    missing = missing_triggers(conn)
    if not missing:
        return []
    return [
        Error(
            f"Database {alias!r} lacks the protective triggers: {', '.join(missing)}.",
            hint=MIGRATE_HINT,
            id="openqms.E003",
        )
    ]


def database_problems(alias: str) -> list[Error]:
    try:
        return encoding_errors(alias) + trigger_errors(alias)
    except DatabaseError as exc:
        return [
            Error(
                f"Database {alias!r} cannot be reached: {exc}".strip(),
                hint="Check OPENQMS_DATABASE_URL and that the database server is running.",
                id="openqms.E004",
            )
        ]


@register(Tags.database)
def postgres_is_utf8(app_configs, databases=None, **kwargs):
    """Run by `migrate` (and checks given --database): never migrate into a wrong encoding."""
    return [error for alias in databases or [] for error in encoding_errors(alias)]


@register(Tags.database, Tags.security, deploy=True)
def databases_are_protected(app_configs, databases=None, **kwargs):
    """`check --deploy`: every configured database, unless --database names some."""
    if databases is None:
        return [e for alias in settings.DATABASES for e in database_problems(alias)]
    # postgres_is_utf8 already checks the encoding of the databases named.
    return [e for alias in databases for e in trigger_errors(alias)]


KEY_HINT = (
    "Make it with `openqms keys init` on the application host, readable by the service "
    "user only, and keep a copy offline (docs/admin-guide.md, Checking the audit trail)."
)


@register(Tags.security, deploy=True)
def audit_key_kept_safe(app_configs, **kwargs):
    """Without the key the trail is not anchored; readable by others, it anchors nothing."""
    path = Path(settings.AUDIT_KEY)
    if not path.exists():
        return [
            Warning(
                f"No audit key at {path} (OPENQMS_AUDIT_KEY): events are not sealed and no "
                "checkpoint is signed, so the audit trail is not anchored.",
                hint=KEY_HINT,
                id="openqms.W020",
            )
        ]
    try:
        keys.load(str(path))
    except (keys.KeyProblem, OSError) as exc:
        return [
            Warning(
                f"The audit key {path} cannot be used: {exc}",
                hint=KEY_HINT,
                id="openqms.W024",
            )
        ]
    if path.stat().st_mode & 0o077:
        return [
            Warning(
                f"The audit key {path} can be read or written by other users "
                f"(mode {path.stat().st_mode & 0o777:o}).",
                hint=f"chmod 600 {path}; chown it to the service user.",
                id="openqms.W021",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def checkpoint_log_kept_apart(app_configs, **kwargs):
    """The log anchors the database only if whoever changes the one cannot change the
    other: not next to an SQLite database file."""
    found = []
    log_folder = Path(settings.CHECKPOINT_LOG).resolve().parent
    for alias, database in settings.DATABASES.items():
        if "sqlite" not in database["ENGINE"]:
            continue
        if Path(database["NAME"]).resolve().parent == log_folder:
            found.append(
                Warning(
                    f"The checkpoint log {settings.CHECKPOINT_LOG} is in the same folder as "
                    f"the {alias!r} SQLite database: whoever can change one can change both.",
                    hint="Set OPENQMS_CHECKPOINT_LOG to a file on another host or on "
                    "write-once storage (and/or OPENQMS_CHECKPOINT_S3_BUCKET).",
                    id="openqms.W022",
                )
            )
    if settings.CHECKPOINT_S3_BUCKET and checkpoint_log.boto3 is None:
        found.append(
            Warning(
                "OPENQMS_CHECKPOINT_S3_BUCKET is set but boto3 is not installed: every "
                "checkpoint will fail to be written.",
                hint="pip install 'openqms[s3]'",
                id="openqms.W023",
            )
        )
    return found
