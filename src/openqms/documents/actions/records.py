"""Records control (ISO 13485 4.2.5): retention, legal holds, signed disposition."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission, require
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.registry import permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text
from openqms.documents.models import Disposition, Document, LegalHold
from openqms.documents.registry import RECORDS


def retention_ends(document: Document) -> dt.date | None:
    """The first day the document may be disposed of, or None (kept for ever, or still
    in use). Retention is counted from withdrawal: until then the document is in use."""
    years = document.doc_type.retention_years
    if not years or document.withdrawn_at is None:
        return None
    withdrawn = timezone.localtime(document.withdrawn_at).date()
    try:
        return withdrawn.replace(year=withdrawn.year + years)
    except ValueError:  # 29 February
        return withdrawn.replace(year=withdrawn.year + years, day=28)


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
        when = f"until {ends}" if ends else "while in use, or for ever for its type"
        return TransitionNotAllowed(f"{document.number} must be kept {when}.")
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
