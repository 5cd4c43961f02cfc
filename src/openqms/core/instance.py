"""After every `migrate`: put back any protective trigger that is missing, and write in
the audit trail which OpenQMS version applied which migrations.

Connected to post_migrate for the core app, which Django sends once per `migrate` after
every app's migrations ran, with the plan it carried out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from openqms.core.actions.instance import record_migration
from openqms.core.triggers import install_triggers, missing_triggers


def after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    conn = connections[using]
    # SQLite rebuilds a table to alter it, and a rebuilt table has lost its triggers.
    missing = missing_triggers(conn)
    if missing:
        install_triggers(conn)
    applied = [f"{m.app_label}.{m.name}" for m, backwards in plan or [] if not backwards]
    if using != DEFAULT_DB_ALIAS or not settings.AUDIT_MIGRATIONS:
        return
    if applied or missing:
        record_migration(applied=applied, reinstalled=missing)
