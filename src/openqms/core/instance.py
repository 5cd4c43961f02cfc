"""The instance's database: what `migrate` did to it, and whether it is a demo.

After every `migrate` (post_migrate for the core app, which Django sends once, after
every app's migrations ran, with the plan it carried out) any missing protective trigger
is put back and the trail records which OpenQMS version applied which migrations.

A demo instance is marked by a `core.demo.created` event (the trail is append-only, so
the mark stays). `openqms demo` seeds published passwords, so it refuses a database that
production settings point at or that already holds records without that mark.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from openqms.core.actions.instance import DEMO_EVENT, record_migration
from openqms.core.errors import DomainError
from openqms.core.models import Role
from openqms.core.triggers import install_triggers, missing_triggers

# The role definitions as they stood before this `migrate` (pre_migrate), so that the
# trail records what the migrations changed in them.
_roles_before: dict[str, dict] = {}


def role_definitions(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """Every role's definition, as `core.system.migrated` records it: {code: {name,
    permissions (sorted), requires_second_factor}}; {} before the table exists."""
    if "core_role" not in connections[using].introspection.table_names():
        return {}
    rows = Role.objects.using(using).values_list(
        "code", "name", "permissions", "requires_second_factor"
    )
    return {
        code: {"name": name, "permissions": sorted(perms), "requires_second_factor": second}
        for code, name, perms, second in rows
    }


def before_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    global _roles_before
    _roles_before = role_definitions(using)


def after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    global _roles_before
    conn = connections[using]
    # SQLite rebuilds a table to alter it, and a rebuilt table has lost its triggers.
    missing = missing_triggers(conn)
    if missing:
        install_triggers(conn)
    applied = [f"{m.app_label}.{m.name}" for m, backwards in plan or [] if not backwards]
    if using == DEFAULT_DB_ALIAS:
        make_file_store()
    if using != DEFAULT_DB_ALIAS or not settings.AUDIT_MIGRATIONS:
        return
    # Migrations seed roles and add their permissions to them; the trail keeps each
    # definition they changed, the baseline `openqms verify` reconciles the roles with.
    after = role_definitions(using) if applied else {}
    roles = {code: d for code, d in after.items() if _roles_before.get(code) != d}
    _roles_before = {}
    if applied or missing:
        record_migration(applied=applied, reinstalled=missing, roles=roles)


def make_file_store() -> None:
    """The file store's folder, made private by the first `migrate` rather than by the
    first upload, so that the installation qualification finds it as installed (IQ-09)
    and no upload ever creates it with the process's default mode."""
    default: dict = settings.STORAGES["default"]  # type: ignore[assignment]
    location = default.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT
    if location and not os.path.exists(location):
        os.makedirs(location, mode=settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o750)


class NotADemoDatabase(DomainError):
    code = "not_a_demo_database"
    status = 409


# How a production instance is configured (docs/admin-guide.md, Configure).
PRODUCTION_VARIABLES = ("OPENQMS_DATABASE_URL", "OPENQMS_SECRET_KEY")


def is_demo_database() -> bool:
    if "core_auditevent" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM core_auditevent WHERE action = %s", [DEMO_EVENT])
        return cursor.fetchone() is not None


def _records_held() -> tuple[int, int]:
    """(users, audit events other than migrations) in the database, read with plain SQL:
    an older database may not match today's models yet."""
    tables = connection.introspection.table_names()
    users = events = 0
    with connection.cursor() as cursor:
        if "core_user" in tables:
            cursor.execute("SELECT COUNT(*) FROM core_user")
            users = cursor.fetchone()[0]
        if "core_auditevent" in tables:
            cursor.execute(
                "SELECT COUNT(*) FROM core_auditevent WHERE action NOT LIKE %s", ["core.system.%"]
            )
            events = cursor.fetchone()[0]
    return users, events


def refuse_unless_demo_database(*, demo_database: bool) -> None:
    """Raise NotADemoDatabase unless the demo may seed its published accounts here."""
    production = [name for name in PRODUCTION_VARIABLES if os.environ.get(name)]
    if production and not demo_database:
        raise NotADemoDatabase(
            f"Refusing to make a demo instance: {' and '.join(production)} "
            f"{'is' if len(production) == 1 else 'are'} set, as on a production instance. "
            "The demo's passwords are published. Unset them to keep the demo in "
            "OPENQMS_DATA_DIR, or pass --demo-database if this database is set aside for "
            "the demo."
        )
    if is_demo_database():
        return
    users, events = _records_held()
    if users or events:
        raise NotADemoDatabase(
            f"Refusing to make a demo instance in a database that holds records (users: {users}, "
            f"audit events: {events}) and is not a demo instance. Point "
            "OPENQMS_DATA_DIR at an empty directory (or OPENQMS_DATABASE_URL at an empty "
            "database). A demo made before OpenQMS marked its demos: delete its data "
            "directory and run the demo again."
        )
