"""The trail's record of backups made and restored (Annex 11 §7.2: the backup and its
restore are themselves part of the record an inspector reads)."""

from __future__ import annotations

from typing import Any

from openqms.core import audit

MADE = "core.backup.made"
RESTORED = "core.backup.restored"


@audit.writing()
def record_backup_made(*, changes: dict[str, Any]) -> None:
    audit.record(
        actor=None,
        action=MADE,
        object_type="core.database",
        object_id="default",
        changes=changes,
    )


@audit.writing()
def record_backup_restored(*, changes: dict[str, Any]) -> None:
    audit.record(
        actor=None,
        action=RESTORED,
        object_type="core.database",
        object_id="default",
        changes=changes,
    )
