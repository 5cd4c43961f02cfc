"""System checks that `openqms check --deploy` runs."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections

from openqms.core.triggers import missing_triggers


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


@register(Tags.database)
def postgres_is_utf8(app_configs, databases=None, **kwargs):
    """The audit chain counts characters; on PostgreSQL that needs a UTF8 database."""
    errors = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        with conn.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            encoding = cursor.fetchone()[0]
        if encoding.upper() not in {"UTF8", "UTF-8"}:
            errors.append(
                Error(
                    f"Database {alias!r} uses the {encoding} encoding; OpenQMS needs UTF8.",
                    hint="Create it with: createdb --encoding=UTF8 --template=template0 NAME",
                    id="openqms.E002",
                )
            )
    return errors


@register(Tags.database)
def protective_triggers_present(app_configs, databases=None, **kwargs):
    """The append-only audit trail and the signature and user protections are in place."""
    errors = []
    for alias in databases or []:
        missing = missing_triggers(connections[alias])
        if missing:
            errors.append(
                Error(
                    f"Database {alias!r} lacks the protective triggers: {', '.join(missing)}.",
                    hint="Run `openqms migrate` (it reinstalls them) and check who removed them.",
                    id="openqms.E003",
                )
            )
    return errors
