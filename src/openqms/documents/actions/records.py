"""Records control (ISO 13485 4.2.5): retention, legal holds, signed disposition.

Retention comes from core's rules (core.retention), one record class per document type.
Documents keep their own legal holds and signed dispositions (older than core's generic
ones): moving the signed Disposition rows would change the object their signatures are
bound to, so they stay, and core's generic holds and dispositions refuse these classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone

from openqms.core import audit, retention
from openqms.core.access import has_permission, require
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.modules import RecordClass
from openqms.core.registry import permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text
from openqms.documents.models import Disposition, Document, DocumentType, LegalHold
from openqms.documents.registry import RECORDS

# ISO 13485 4.2.5: records are kept "no less than two years from the medical device
# release". A controlled document serves devices released while it was in force, so no
# document type may be kept less than two years after withdrawal; a longer floor (10 or 15
# years for technical documentation) is set per regulation on the Retention page.
MINIMUM_YEARS = 2
OBJECT_TYPE = "documents.document"


def class_code(doc_type: DocumentType) -> str:
    return f"documents.type.{doc_type.code}"


def _withdrawn_on(ids: Sequence[str]) -> dict[str, dt.date | None]:
    keys = [int(i) for i in ids if i.isdigit() and len(i) < 19]
    rows = Document.objects.filter(pk__in=keys).values_list("pk", "withdrawn_at")
    return {str(pk): timezone.localtime(at).date() if at else None for pk, at in rows}


def record_classes() -> list[RecordClass]:
    """One record class per document type, counted from withdrawal (the document is in
    use until then). The type's `retention_years` is the proposal; a rule set on the
    Retention page replaces it. Documents keep their own holds and signed dispositions."""
    return [
        RecordClass(
            code=class_code(doc_type),
            label=f"{doc_type.name} documents",
            object_type=OBJECT_TYPE,
            years=doc_type.retention_years,
            counted_from="closed",
            minimum_years=MINIMUM_YEARS,
            closed=_withdrawn_on,
            own_controls=True,
        )
        for doc_type in DocumentType.objects.order_by("code")
    ]


def _closed(document: Document) -> dt.date | None:
    return timezone.localtime(document.withdrawn_at).date() if document.withdrawn_at else None


def retention_ends_many(documents: Iterable[Document]) -> dict[int, dt.date | None]:
    """The first day each document may be disposed of (None: kept), from core's rules:
    one batch per document type, so a page of any length costs the same queries."""
    by_type: dict[str, dict[str, dt.date | None]] = {}
    for document in documents:
        by_type.setdefault(class_code(document.doc_type), {})[str(document.pk)] = _closed(document)
    found: dict[int, dt.date | None] = {}
    for code, closed in by_type.items():
        for pk, ends in retention.ends_many(code, OBJECT_TYPE, closed).items():
            found[int(pk)] = ends
    return found


def retention_ends(document: Document) -> dt.date | None:
    """The first day the document may be disposed of, or None (kept for ever, or still
    in use): core's rule for its type, counted from withdrawal."""
    return retention.ends(
        class_code(document.doc_type), OBJECT_TYPE, document.pk, _closed(document)
    )


@audit.writing()
def place_legal_hold(*, actor: User, document: Document, reason: str) -> LegalHold:
    require(actor, RECORDS)
    reason = clean_text(reason, "reason", limit=4000)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.disposed_at is not None:
        raise TransitionNotAllowed(f"{document.number} was disposed of.")
    hold = LegalHold.objects.create(
        document=document, reason=reason, placed_by=actor, placed_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="documents.hold.placed",
        obj=document,
        reason=reason,
        changes={"hold": [None, hold.pk]},
    )
    return hold


@audit.writing()
def release_legal_hold(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    require(actor, RECORDS)
    reason = clean_text(reason, "reason", limit=4000)
    hold = LegalHold.objects.select_for_update().select_related("document").get(pk=hold.pk)
    if hold.released_at is not None:
        raise InvalidInput("This hold was already released.")
    hold.released_at, hold.released_by, hold.release_reason = timezone.now(), actor, reason
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    audit.record(
        actor=actor,
        action="documents.hold.released",
        obj=hold.document,
        reason=reason,
        changes={"hold": [hold.pk, None]},
    )
    return hold


def disposal_refusal(document: Document, user: User) -> DomainError | None:
    """Why `user` may not dispose of `document` now, or None (the page asks it too)."""
    if not has_permission(user, RECORDS):
        return PermissionRefused(f"You need the permission “{permissions.label(RECORDS)}”.")
    if document.disposed_at is not None:
        return TransitionNotAllowed(f"{document.number} was already disposed of.")
    ends = retention_ends(document)
    if ends is None or ends > timezone.localdate():
        rule = retention.rule(class_code(document.doc_type)).text
        when = f"until {ends:%d %b %Y}" if ends else "while in use, or for ever"
        return TransitionNotAllowed(f"{document.number} must be kept {when} (rule: {rule}).")
    if document.holds.filter(released_at__isnull=True).exists():
        return TransitionNotAllowed(f"{document.number} is under a legal hold.")
    return None


def disposal_content(document: Document) -> dict:
    """What the person disposing is shown and signs for: the document and its retention
    (the page shows its hash; if it changed before they sign, nothing is signed)."""
    ends = retention_ends(document)
    return {
        "document": document.number,
        "title": document.title,
        "withdrawn_at": audit.format_time(document.withdrawn_at) if document.withdrawn_at else None,
        "retention_ended": ends.isoformat() if ends else None,
    }


def dispose_document(
    *, actor: User, document: Document, reason: str, credentials: Credentials | None
) -> Disposition:
    """A signed disposition (create-and-sign), allowed once retention has run out and no
    hold applies.

    The document and its revisions stay in the database, marked disposed and out of
    every list; what the organisation destroys outside OpenQMS is its own decision."""
    require(actor, RECORDS)
    reason = clean_text(reason, "reason", limit=4000)
    return perform(
        actor=actor,
        record=document,
        queryset=Document.objects.select_related("doc_type"),
        check=lambda doc: disposal_refusal(doc, actor),
        meaning="disposed",
        credentials=credentials,
        reason=reason,
        signed=lambda doc: Disposition(
            document=doc,
            reason=reason,
            retention_ended=retention_ends(doc),  # type: ignore[misc]  # checked: not None
            disposed_by=actor,
            disposed_at=timezone.now(),
        ),
        shown=disposal_content,
        change=lambda doc, disposition: _disposed(actor, doc, disposition),
    )


def _disposed(actor: User, document: Document, disposition: Disposition) -> Disposition:
    document.disposed_at = disposition.disposed_at
    document.save(update_fields=["disposed_at"])
    audit.record(
        actor=actor,
        action="documents.document.disposed",
        obj=document,
        reason=disposition.reason,
        changes={
            "disposed_at": [None, document.disposed_at],
            "retention_ended": disposition.retention_ended,
        },
    )
    return disposition
