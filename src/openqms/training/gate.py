"""The training gate (configured per document type): whoever is not trained on the current
revision of a procedure cannot sign as its performer or approver, and is told why.

The gate asks the record which procedures it follows (core.governance): a revision and a
periodic review answer their own document, and records of later modules answer the same
way; it knows no module's model classes.

The same answer marks My tasks: a review or approval task the gate would refuse says
"Complete your training on SOP-001 rev B first" and links to that training
(`blocked_tasks`, the module's task blocker), for all the tasks in a fixed number of
queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from openqms.core.governance import governing_document_ids
from openqms.core.models import User
from openqms.training.matrix import untrained_on
from openqms.training.models import Assignment, AssignmentState

# Signatures that are training itself, not work done to the procedure.
UNGATED = {"trained", "delivered", "evaluated", "authored"}


def untrained_signer(signer: User, obj: Any, meaning: str) -> str | None:
    if meaning in UNGATED:
        return None
    documents = governing_document_ids(obj)
    untrained = untrained_on(signer, documents)
    for document_id in documents:
        current = untrained.get(document_id)
        if current is not None:
            return (
                f"You are not trained on {current}, the current revision of "
                f"{current.document.number}: complete that training before you sign "
                "as its performer or approver."
            )
    return None


def blocked_tasks(user: User, signing: Sequence[tuple[Any, str]]) -> list[tuple[str, str] | None]:
    """For each (record, meaning) a My tasks entry would sign: None, or why the gate would
    refuse it and the training that unblocks it (the person's open training on that
    revision, else their training page)."""
    wanted = [[] if meaning in UNGATED else governing_document_ids(obj) for obj, meaning in signing]
    untrained = untrained_on(user, {d for documents in wanted for d in documents})
    if not untrained:
        return [None] * len(signing)
    open_training = dict(
        Assignment.objects.filter(
            person=user,
            state=AssignmentState.OPEN,
            revision__in=[r.pk for r in untrained.values()],
        ).values_list("revision_id", "pk")
    )
    answers: list[tuple[str, str] | None] = []
    for documents in wanted:
        current = next((untrained[d] for d in documents if d in untrained), None)
        if current is None:
            answers.append(None)
            continue
        assignment = open_training.get(current.pk)
        url = (
            reverse("training:assignment", args=[assignment])
            if assignment is not None
            else reverse("training:my")
        )
        answers.append((f"Complete your training on {current} first", url))
    return answers
