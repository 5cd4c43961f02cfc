"""What the audit trail calls document control's records ("WI-007 rev A"), where they
are, and whether a viewer may read what their events say: exactly when the viewer may
open the record (documents.access). A draft's events (its text, its file names) stay
with those who may open the draft."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import as_text, ids_of
from openqms.documents import access
from openqms.documents.models import Document, DocumentType, ExternalDocument, Revision
from openqms.documents.registry import READ, READ_ALL, TYPES

REVISION, DOCUMENT = "documents.revision", "documents.document"
TYPE, EXTERNAL = "documents.documenttype", "documents.externaldocument"
_NAMED = (REVISION, DOCUMENT, TYPE, EXTERNAL)


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    revision_ids = ids_of(keys, REVISION)
    seen = set(
        access.visible_revisions(viewer).filter(pk__in=revision_ids).values_list("pk", flat=True)
    )
    for revision in Revision.objects.filter(pk__in=revision_ids).select_related("document"):
        url = reverse("documents:revision", args=[revision.document.number, revision.label])
        found[(REVISION, str(revision.pk))] = RecordRef(str(revision), url, revision.pk in seen)
    document_ids = ids_of(keys, DOCUMENT)
    seen = set(
        access.visible_documents(viewer).filter(pk__in=document_ids).values_list("pk", flat=True)
    )
    for document in Document.objects.filter(pk__in=document_ids):
        url = reverse("documents:detail", args=[document.number])
        found[(DOCUMENT, str(document.pk))] = RecordRef(str(document), url, document.pk in seen)
    configures = has_permission(viewer, TYPES)
    for doc_type in DocumentType.objects.filter(pk__in=ids_of(keys, TYPE)):
        url = reverse("documents:type-edit", args=[doc_type.code]) if configures else ""
        found[(TYPE, str(doc_type.pk))] = RecordRef(f"Document type “{doc_type.name}”", url)
    reads = has_permission(viewer, READ) or has_permission(viewer, READ_ALL)
    for external in ExternalDocument.objects.filter(pk__in=ids_of(keys, EXTERNAL)):
        label = f"External document {external.reference}"
        url = reverse("documents:external") if reads else ""
        found[(EXTERNAL, str(external.pk))] = RecordRef(label, url, reads)
    # Records of kinds named nowhere above: only those who read everything read them.
    reads_all = has_permission(viewer, READ_ALL)
    for object_type, object_id in keys:
        if (object_type, object_id) not in found and object_type not in _NAMED:
            found[(object_type, object_id)] = RecordRef(f"{object_type} {object_id}", "", reads_all)
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """A document number (exactly, or its start) or words of its title: the events of
    the documents, and of their revisions, that the viewer may open."""
    named = Q(number__iexact=text) | Q(number__istartswith=text) | Q(title__icontains=text)
    documents = access.visible_documents(viewer).filter(named)
    revisions = access.visible_revisions(viewer).filter(document__in=documents.values("pk"))
    return [(DOCUMENT, as_text(documents)), (REVISION, as_text(revisions))]
