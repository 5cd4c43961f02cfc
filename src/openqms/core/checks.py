"""System checks that `openqms check --deploy` runs.

The database checks (encoding, protective triggers) are deployment checks that look at
every configured database, so `check --deploy` runs them without `--database`. They are
not run by `migrate`: a fresh database has no triggers until it is migrated, and a
database whose triggers were removed is repaired by `migrate` (post_migrate reinstalls
them). `serve` refuses to start without them (see `database_problems`).
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

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
