"""The training gate (configured per document type): whoever is not trained on the current
revision of a procedure cannot sign as its reviewer, approver or performer, and is told why
and who can put it right (QA assigns the training when none is assigned: without that the
person would wait for training nobody gave them).

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

from openqms.core.access import has_permission
from openqms.core.governance import governing_document_ids
from openqms.core.models import Role, RoleAssignment, User
from openqms.training.matrix import untrained_on
from openqms.training.models import Assignment, AssignmentState
from openqms.training.registry import MANAGE

# Signatures that are training itself, not work done to the procedure.
UNGATED = {"trained", "delivered", "evaluated", "authored"}


# What a signature's meaning makes the signer, in the gate's message.
ROLES = {"reviewed": "reviewer", "approved": "approver"}


def assigners() -> str:
    """The people who assign training (QA), by name, for "ask QA (…) to assign it"."""
    roles = [r.pk for r in Role.objects.all() if MANAGE in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    people = User.objects.active().filter(role_assignments__in=grants).distinct()
    return ", ".join(people.order_by("full_name").values_list("full_name", flat=True))


def _ask_qa(current: Any, names: str) -> str:
    return f"ask QA{f' ({names})' if names else ''} to assign you training on {current}"


def untrained_signer(signer: User, obj: Any, meaning: str) -> str | None:
    if meaning in UNGATED:
        return None
    documents = governing_document_ids(obj)
    untrained = untrained_on(signer, documents)
    for document_id in documents:
        current = untrained.get(document_id)
        if current is None:
            continue
        role = ROLES.get(meaning, "performer")
        where = (
            f"You are not trained on {current}, the current revision of {current.document.number}"
        )
        if Assignment.objects.filter(
            person=signer, revision=current, state=AssignmentState.OPEN
        ).exists():
            return f"{where}: complete that training before you sign as its {role}."
        return (
            f"{where}, and no training on it is assigned to you: {_ask_qa(current, assigners())} "
            f"before you sign as its {role}."
        )
    return None


def assign_url(viewer: User, person: User, current: Any) -> str:
    """The assign-training page pre-filled for `person` and `current`'s document, when
    `viewer` may assign training; else the revision in force (to read meanwhile)."""
    if has_permission(viewer, MANAGE):
        query = f"?person={person.username}&document={current.document.number}"
        return reverse("training:assign") + query
    return reverse("documents:revision", args=[current.document.number, current.label])


def blocked_tasks(user: User, signing: Sequence[tuple[Any, str]]) -> list[tuple[str, str] | None]:
    """For each (record, meaning) a My tasks entry would sign: None, or why the gate would
    refuse it and the training that unblocks it (the person's open training on that
    revision; with none assigned, who can assign it and, for QA, the assign page)."""
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
    names: str | None = None  # who assigns training: asked once, when needed
    for documents in wanted:
        current = next((untrained[d] for d in documents if d in untrained), None)
        if current is None:
            answers.append(None)
            continue
        assignment = open_training.get(current.pk)
        if assignment is not None:
            url = reverse("training:assignment", args=[assignment])
            answers.append((f"Complete your training on {current} first", url))
        else:
            names = assigners() if names is None else names
            ask = _ask_qa(current, names)
            answers.append((f"{ask[0].upper()}{ask[1:]} first", assign_url(user, user, current)))
    return answers
