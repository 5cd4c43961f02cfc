"""The training gate (configured per document type): whoever is not trained on the current
revision of a procedure cannot sign as its performer or approver, and is told why.

The gate asks the record which procedures it follows (core.governance): a revision and a
periodic review answer their own document, and records of later modules answer the same
way; it knows no module's model classes.
"""

from __future__ import annotations

from typing import Any

from openqms.core.governance import governing_document_ids
from openqms.core.models import User
from openqms.training.matrix import is_trained
from openqms.training.models import TrainingRule

# Signatures that are training itself, not work done to the procedure.
UNGATED = {"trained", "delivered", "evaluated", "authored"}


def untrained_signer(signer: User, obj: Any, meaning: str) -> str | None:
    if meaning in UNGATED:
        return None
    documents = governing_document_ids(obj)
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
