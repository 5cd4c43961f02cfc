"""The register of external documents (4.2.4 f)."""

from __future__ import annotations

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import ExternalDocument
from openqms.documents.registry import EXTERNAL


@audit.writing()
def register_external_document(
    *,
    actor: User,
    reference: str,
    title: str,
    edition: str = "",
    source: str = "",
) -> ExternalDocument:
    require(actor, EXTERNAL)
    reference = clean_text(reference, "reference", limit=100)
    if ExternalDocument.objects.filter(reference__iexact=reference).exists():
        raise InvalidInput(
            f"“{reference}” is already in the register.",
            fields={"reference": "Already registered."},
        )
    document = ExternalDocument.objects.create(
        reference=reference,
        title=clean_text(title, "title", limit=300),
        edition=clean_text(edition, "edition", required=False, limit=100),
        source=clean_text(source, "source", required=False, limit=200),
    )
    audit.record(
        actor=actor,
        action="documents.external.added",
        obj=document,
        changes={
            "reference": [None, reference],
            "title": [None, document.title],
            "edition": [None, document.edition],
        },
    )
    return document


@audit.writing()
def check_external_document(
    *,
    actor: User,
    document: ExternalDocument,
    is_current: bool,
    edition: str,
    notes: str,
) -> ExternalDocument:
    """Record that someone checked whether the edition held is still the current one."""
    require(actor, EXTERNAL)
    document = ExternalDocument.objects.select_for_update().get(pk=document.pk)
    new = {
        "is_current": is_current,
        "edition": clean_text(edition, "edition", required=False, limit=100),
        "last_checked": timezone.localdate(),
        "checked_by_id": actor.pk,
    }
    changes = audit.diff({k: getattr(document, k) for k in new}, new)
    for field, value in new.items():
        setattr(document, field, value)
    document.notes = clean_text(notes, "notes", required=False, limit=4000)
    document.save(update_fields=[*new, "notes"])
    audit.record(
        actor=actor,
        action="documents.external.checked",
        obj=document,
        changes=changes,
        reason=document.notes,
    )
    return document
