"""Bulk import of legacy documents (see documents.importer for the checks).

A legacy revision was approved outside OpenQMS: it arrives effective, marked so, with
its legacy effective date, the paper approval's reference and who imported it. Its
periodic review counts from the legacy effective date (ISO 13485 4.2.4 b), unless the
importer gives the first review date (next_review). Training is
assigned only when the importer asks (`assign_training`): a company moving its QMS in
has usually trained people on these revisions already; the import event says which.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import check_markdown
from openqms.documents import hooks, originals
from openqms.documents.importer import ImportRow
from openqms.documents.models import Attachment, Document, DocumentType, Revision, RevisionState
from openqms.documents.numbering import sequence_of, validate_number
from openqms.documents.registry import CREATE


def import_documents(
    *,
    actor: User | None,
    rows: list[ImportRow],
    assign_training: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Revision]:
    """Create each document with one effective revision marked as a legacy import;
    `actor` is recorded as its importer.

    The originals go to the file store first (content-addressed, so a failed import
    leaves nothing but unreferenced files); then every document is written in one
    transaction: all or nothing.
    """
    if actor is not None:
        require(actor, CREATE)
    for row in rows:  # an original too large to read safely is refused, nothing written
        originals.check_original(row.source.name, row.data)
    stored = {
        row.sha256: files.store(io.BytesIO(row.data))
        for row in rows
        if row.source.suffix.lower() != ".md"
    }
    texts = {row.sha256: originals.text_of(row.source.name, row.data) for row in rows}
    with audit.writing():
        revisions = []
        for done, row in enumerate(rows, start=1):
            revisions.append(
                _import_one(actor, row, stored.get(row.sha256), texts[row.sha256], assign_training)
            )
            if progress:
                progress(done, len(rows))
    return revisions


def _number_for(row: ImportRow) -> str:
    """The planned number, checked again under the type's lock (the same rule as the
    pages); the type's counter moves past it so later documents never collide."""
    doc_type = DocumentType.objects.select_for_update().get(pk=row.doc_type.pk)
    number = validate_number(doc_type, row.number)
    if Document.objects.filter(number=number).exists():
        raise InvalidInput(
            f"Number {number} already exists in OpenQMS.", fields={"number": "Taken."}
        )
    n = int(number.rsplit("-", 1)[1])
    if n >= doc_type.next_number:
        doc_type.next_number = n + 1
        doc_type.save(update_fields=["next_number"])
    return number


def _import_one(
    actor: User | None, row: ImportRow, stored, text: str, assign_training: bool
) -> Revision:
    now = timezone.now()
    months = row.doc_type.review_interval_months  # 0: this type has no periodic review
    since = row.effective_date or timezone.localdate()
    document = Document.objects.create(
        number=_number_for(row),
        title=row.title,
        doc_type=row.doc_type,
        owner=row.owner,
        created_at=now,
        in_force=True,  # its one revision arrives effective
        # The manifest's next_review (or --next-review) sets the first periodic review,
        # so a document in force since 2019 is not overdue the day it is imported.
        next_review=row.next_review or (months_later(since, months) if months else None),
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
        imported_by=actor,
        legacy_approval_ref=row.approval_ref,
    )
    if stored is not None:
        Attachment.objects.create(
            revision=revision,
            stored_file=stored,
            name=row.source.name,
            attached_at=now,
            attached_by=row.owner,
            text=text,  # the original's words, for search
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
            "next_review": [None, document.next_review],
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
            "approval": "legacy — approved outside OpenQMS",
            "approval_ref": row.approval_ref,
            "training": "assigned" if assign_training else "not assigned (not asked for)",
        },
    )
    if assign_training:  # the training module listens and assigns (audited there)
        hooks.revision_became_effective(revision, actor)
    return revision
