"""Bulk import of legacy documents (see documents.importer for the checks)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.models import User
from openqms.core.text import check_markdown
from openqms.documents import hooks
from openqms.documents.importer import ImportRow, sequence_of
from openqms.documents.models import Attachment, Document, DocumentType, Revision, RevisionState
from openqms.documents.registry import CREATE


def import_documents(
    *,
    actor: User | None,
    rows: list[ImportRow],
    progress: Callable[[int, int], None] | None = None,
) -> list[Revision]:
    """Create each document with one effective revision marked as a legacy import.

    The originals go to the file store first (content-addressed, so a failed import
    leaves nothing but unreferenced files); then every document is written in one
    transaction: all or nothing.
    """
    if actor is not None:
        require(actor, CREATE)
    stored = {
        row.sha256: files.store(io.BytesIO(row.data))
        for row in rows
        if row.source.suffix.lower() != ".md"
    }
    with audit.writing():
        revisions = []
        for done, row in enumerate(rows, start=1):
            revisions.append(_import_one(actor, row, stored.get(row.sha256)))
            if progress:
                progress(done, len(rows))
    return revisions


def _number_for(row: ImportRow) -> str:
    doc_type = DocumentType.objects.select_for_update().get(pk=row.doc_type.pk)
    if row.number:
        match = re.fullmatch(rf"{re.escape(doc_type.prefix)}-(\d+)", row.number)
        if match and int(match.group(1)) >= doc_type.next_number:
            doc_type.next_number = int(match.group(1)) + 1
            doc_type.save(update_fields=["next_number"])
        return row.number
    number = doc_type.format_number(doc_type.next_number)
    doc_type.next_number += 1
    doc_type.save(update_fields=["next_number"])
    return number


def _import_one(actor: User | None, row: ImportRow, stored) -> Revision:
    now = timezone.now()
    document = Document.objects.create(
        number=_number_for(row),
        title=row.title,
        doc_type=row.doc_type,
        owner=row.owner,
        created_at=now,
    )
    sequence = sequence_of(row.label, row.doc_type.revision_scheme) if row.label else 1
    revision = Revision.objects.create(
        document=document,
        sequence=sequence,
        label=row.label or row.doc_type.revision_label(sequence),
        state=RevisionState.EFFECTIVE,
        body=check_markdown(row.body, "body"),
        author=row.owner,
        created_at=now,
        effective_date=row.effective_date,
        became_effective_at=now,
        change_reason="Legacy import",
        imported_from=row.source.name,
        imported_sha256=row.sha256,
    )
    if stored is not None:
        Attachment.objects.create(
            revision=revision,
            stored_file=stored,
            name=row.source.name,
            attached_at=now,
            attached_by=row.owner,
        )
    audit.record(
        actor=actor,
        action="documents.document.created",
        obj=document,
        changes={
            "number": [None, document.number],
            "title": [None, row.title],
            "type": [None, row.doc_type.code],
            "owner": [None, row.owner.username],
        },
    )
    audit.record(
        actor=actor,
        action="documents.revision.imported",
        obj=revision,
        changes={
            "label": [None, revision.label],
            "state": [None, revision.state],
            "source": row.source.name,
            "sha256": row.sha256,
            "effective_date": row.effective_date,
        },
    )
    hooks.revision_became_effective(revision, actor)
    return revision
