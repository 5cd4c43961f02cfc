"""The upgrade event (Annex 11 10, ISO 13485 4.1.6: revalidate after a change): after
every `migrate`, the running OpenQMS version is compared with the one the trail last
recorded for this database (actions.record_version): the first time
`core.system.installed` is written, on a change `core.system.upgraded` {from, to}. The
next validation report lists these events since the last approved report, so the QA
lead sees the upgrade it must cover."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

import openqms
from openqms.core.models import AuditEvent
from openqms.validation.actions import record_version, recorded_version
from openqms.validation.registry import INSTALLED, UPGRADED

FIRST_MIGRATION = "validation.0001_initial"


def after_migrate(
    sender: Any, using: str = DEFAULT_DB_ALIAS, plan: Any = None, **kwargs: Any
) -> None:
    # Test databases are built with AUDIT_MIGRATIONS off, as core's migrate event is.
    if using != DEFAULT_DB_ALIAS or not settings.AUDIT_MIGRATIONS:
        return
    applied = {f"{m.app_label}.{m.name}" for m, backwards in plan or [] if not backwards}
    # Nothing recorded though validation's tables exist: a migrate that created them
    # stopped before this signal (an error in a later migration, a kill). This one
    # records what the first would have, or IQ-12 would fail for good.
    installing = FIRST_MIGRATION in applied or recorded_version() is None
    record_version(version=openqms.__version__, installing=installing)


def events_since(after: Any = None) -> list[dict[str, Any]]:
    """The installed and upgraded events stored after `after` (a moment; None: all)."""
    rows = AuditEvent.objects.filter(action__in=(INSTALLED, UPGRADED)).order_by("seq")
    if after is not None:
        rows = rows.filter(at__gt=after)
    return [
        {"seq": e.seq, "at": e.at.isoformat(), "action": e.action, **json.loads(e.changes)}
        for e in rows
    ]
