"""The instance itself: what was installed into its database, and whether it is a demo.

An auditor validating an installation asks which version of the software wrote the data
and when its database schema changed (Annex 11 §10, change and configuration
management); these events answer from the trail itself.
"""

from __future__ import annotations

import django

from openqms import __version__
from openqms.core import audit

DEMO_EVENT = "core.demo.created"


@audit.writing()
def record_migration(
    *, applied: list[str], reinstalled: list[str], roles: dict[str, dict] | None = None
) -> None:
    """`migrate` applied the migrations `applied` and put back the `reinstalled` triggers
    (after a migration that rebuilt a table, or after someone removed them); `roles`: the
    role definitions the migrations changed, as they stand after them."""
    versions = {"openqms_version": __version__, "django_version": django.get_version()}
    changes: dict
    if applied:
        changes = {**versions, "migrations": applied, "triggers_reinstalled": reinstalled}
        if roles:
            changes["roles"] = roles
        action = "core.system.migrated"
    else:
        changes = {**versions, "triggers_reinstalled": reinstalled}
        action = "core.system.triggers_reinstalled"
    audit.record(
        actor=None,
        action=action,
        object_type="core.database",
        object_id="default",
        changes=changes,
    )


@audit.writing()
def mark_demo_instance() -> None:
    """The durable mark of a demo database: its published passwords make it unfit for
    real records, and `openqms serve` refuses it."""
    audit.record(
        actor=None,
        action=DEMO_EVENT,
        object_type="core.database",
        object_id="default",
        changes={"openqms_version": __version__},
        reason="Demo instance: published passwords, not for real quality records",
    )
