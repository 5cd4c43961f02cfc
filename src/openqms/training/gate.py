"""The training gate (configured per document type): whoever is not trained on the current
revision of a procedure cannot sign as its performer or approver, and is told why.

A signed record names the procedures it was done to: a revision and a periodic review
answer their own document; records of later modules answer `governing_documents()`.
"""

from __future__ import annotations

from typing import Any

from openqms.core.models import User
from openqms.documents.models import PeriodicReview, Revision
from openqms.training.matrix import is_trained
from openqms.training.models import TrainingRule

# Signatures that are training itself, not work done to the procedure.
UNGATED = {"trained", "delivered", "evaluated", "authored"}


def _documents_of(obj: Any) -> list[int]:
    if isinstance(obj, Revision | PeriodicReview):
        return [obj.document_id]
    governing = getattr(obj, "governing_documents", None)
    return [d.pk for d in governing()] if governing else []


def untrained_signer(signer: User, obj: Any, meaning: str) -> str | None:
    if meaning in UNGATED:
        return None
    documents = _documents_of(obj)
    if not documents:
        return None
    gated = set(
        TrainingRule.objects.filter(gate=True, doc_type__documents__in=documents).values_list(
            "doc_type__documents", flat=True
        )
    )
    for document_id in documents:
        if document_id not in gated:
            continue
        trained, current = is_trained(signer, document_id)
        if not trained:
            return (
                f"You are not trained on {current}, the current revision of "
                f"{current.document.number}: complete that training before you sign "  # type: ignore[union-attr]
                "as its performer or approver."
            )
    return None
