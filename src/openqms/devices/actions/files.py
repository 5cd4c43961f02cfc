"""The medical device file's writers (ISO 13485 4.2.3): documents added to and removed
from a family's sections, and sections marked not applicable with a justification.

Every event is recorded on the file ("devices.file", the family's id), so the file's
history reads as one record in the audit trail."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.devices.models import FileEntry, FileSection, FileSectionMark
from openqms.devices.registry import MANAGE
from openqms.documents.models import Document
from openqms.qms.models import DeviceFamily

FILE = "devices.file"


def _record(
    actor: User, action: str, family: DeviceFamily, changes: dict[str, Any], reason: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=FILE,
        object_id=family.pk,
        changes={"family": family.code, **changes},
        reason=reason,
    )


def _lock_family(family: DeviceFamily) -> DeviceFamily:
    """Every change to one file locks its family first, so two people filling the same
    section cannot both pass the checks below."""
    return DeviceFamily.objects.select_for_update().get(pk=family.pk)


@audit.writing()
def add_file_document(
    *, actor: User, family: DeviceFamily, section: FileSection, document: Document
) -> FileEntry:
    require(actor, MANAGE)
    family = _lock_family(family)
    if family.retired:
        raise InvalidInput(f"The family {family.code} is retired.")
    # Read the document again, locked: the caller's object may predate a withdrawal.
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.disposed_at is not None or document.withdrawn_at is not None:
        raise InvalidInput(
            f"{document.number} is withdrawn: link a document in use.",
            fields={"document": "Withdrawn."},
        )
    if FileSectionMark.objects.filter(family=family, section=section, removed_at=None).exists():
        raise InvalidInput(
            f"“{section.title}” is marked not applicable: say it applies first.",
            fields={"document": "Section not applicable."},
        )
    live = FileEntry.objects.filter(family=family, section=section, removed_at=None)
    if live.filter(document=document).exists():
        raise InvalidInput(
            f"{document.number} is in this section already.", fields={"document": "Already there."}
        )
    entry = FileEntry.objects.create(
        family=family, section=section, document=document, added_at=timezone.now(), added_by=actor
    )
    _record(
        actor,
        "devices.file.document_added",
        family,
        {"section": section.code, "document": [None, document.number]},
    )
    return entry


@audit.writing()
def remove_file_document(*, actor: User, entry: FileEntry, reason: str) -> FileEntry:
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    family = _lock_family(entry.family)
    row = FileEntry.objects.select_related("section", "document").get(pk=entry.pk)
    if row.removed_at is not None:
        raise TransitionNotAllowed("This document was removed from the file already.")
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    _record(
        actor,
        "devices.file.document_removed",
        family,
        {"section": row.section.code, "document": [row.document.number, None]},
        reason,
    )
    return row


@audit.writing()
def mark_not_applicable(
    *, actor: User, family: DeviceFamily, section: FileSection, justification: str
) -> FileSectionMark:
    """ISO 13485 4.2.3 lists what the file holds "as applicable": a section that does not
    apply says why, so an auditor reads the reason rather than a gap."""
    require(actor, MANAGE)
    justification = clean_text(justification, "justification", limit=2000)
    family = _lock_family(family)
    if FileSectionMark.objects.filter(family=family, section=section, removed_at=None).exists():
        raise InvalidInput(f"“{section.title}” is marked not applicable already.")
    if FileEntry.objects.filter(family=family, section=section, removed_at=None).exists():
        raise InvalidInput(
            f"“{section.title}” links documents: remove them before marking it not applicable.",
            fields={"justification": "The section has documents."},
        )
    mark = FileSectionMark.objects.create(
        family=family, section=section, justification=justification, marked_at=timezone.now()
    )
    _record(
        actor,
        "devices.file.section_marked",
        family,
        {
            "section": section.code,
            "not_applicable": [False, True],
            "justification": [None, justification],
        },
    )
    return mark


@audit.writing()
def mark_applicable(
    *, actor: User, family: DeviceFamily, section: FileSection, reason: str
) -> FileSectionMark:
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    family = _lock_family(family)
    mark = FileSectionMark.objects.filter(family=family, section=section, removed_at=None).first()
    if mark is None:
        raise TransitionNotAllowed(f"“{section.title}” is not marked not applicable.")
    mark.removed_at = timezone.now()
    mark.save(update_fields=["removed_at"])
    _record(
        actor,
        "devices.file.section_unmarked",
        family,
        {"section": section.code, "not_applicable": [True, False]},
        reason,
    )
    return mark
