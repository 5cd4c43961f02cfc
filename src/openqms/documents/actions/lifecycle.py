"""A revision's whole lifecycle as one table (ISO 13485 4.2.4), and the document steps.

    draft ──submit──▶ in review ──approve (signed)──▶ approved ──make_effective──▶ effective
      ▲                │  ▲ review, sign_approval        (the system on the date, or at   │
      └──── reject ────┘  └─────┘ (signed)               once when approved and due)     │
                                                                        supersede ◀──────┘
    draft, in review, approved, effective ──withdraw (with the document)──▶ obsolete

Submitting names the reviewers and approvers (documents.assignments): only they sign,
in the type's approval mode. An approval that is not the last one the mode requires is
"sign_approval" (the revision stays in review); the last one is "approve".

Every step goes through core's one signed-step path (core.workflow / core.signing).
`LIFECYCLE.available(revision, user)` is the one answer to "which steps may this person
take on this revision now": the revision page, the API's `allowed_steps` and My tasks
all ask it. The document-level steps (start a revision, periodic review, withdraw) have
their refusals here too, asked by the actions and by the pages alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.dates import months_later
from openqms.core.errors import DomainError, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature, User
from openqms.core.registry import permissions
from openqms.core.signatures import object_type_of
from openqms.core.workflow import Transition, Workflow, different_person, same_person
from openqms.documents import assignments, hooks, notify
from openqms.documents.models import Document, ReviewAssignment, Revision, RevisionState
from openqms.documents.registry import APPROVE, EDIT, REVIEW, WITHDRAW

S = RevisionState
LIVE_STATES = (S.DRAFT, S.IN_REVIEW, S.APPROVED, S.EFFECTIVE)


# Set by `steps_for_many` on revisions it lists: {meaning: signer ids} of their live
# signatures, read by the guards instead of one query per revision. A revision loaded
# under the signing lock never carries it, so the re-check there reads the database.
_PRELOADED = "_openqms_live_signers"


def live_signers(revision: Revision, meaning: str) -> set[int]:
    """The people whose signature with `meaning` on this revision's label stands."""
    preloaded = getattr(revision, _PRELOADED, None)
    if preloaded is not None:
        return preloaded.get(meaning, set())
    return set(
        Signature.objects.filter(
            object_type=object_type_of(revision),
            object_id=str(revision.pk),
            object_version=revision.label,
            meaning=meaning,
            voided_at__isnull=True,
        ).values_list("signer_id", flat=True)
    )


def _not_reviewed_by_me(revision: Revision, actor: User) -> str | None:
    if actor.pk in live_signers(revision, "reviewed"):
        return f"You have already reviewed revision {revision.label}."
    return None


def _named_reviewer(revision: Revision, actor: User) -> str | None:
    return assignments.review_refusal(revision, actor, live_signers(revision, "reviewed"))


def _approvable(revision: Revision, actor: User) -> str | None:
    """Unless the type turns it off, whoever reviewed it does not also approve it
    (segregation of duties); then the named approvers sign, once the reviews the mode
    requires are in and every review comment is resolved (documents.assignments)."""
    reviewers, doc_type = live_signers(revision, "reviewed"), revision.document.doc_type
    if doc_type.reviewer_cannot_approve and actor.pk in reviewers:
        return (
            "You reviewed this revision, so someone else must approve it: "
            "the same person cannot both review and approve it."
        )
    approved = live_signers(revision, "approved")
    return assignments.approval_refusal(revision, actor, reviewers, approved)


def _last_approval(revision: Revision, actor: User) -> str | None:
    if assignments.completes_approval(revision, actor, live_signers(revision, "approved")):
        return None
    return "Other named approvers still sign: this approval keeps the revision in review."


def _not_last_approval(revision: Revision, actor: User) -> str | None:
    if assignments.completes_approval(revision, actor, live_signers(revision, "approved")):
        return "This approval completes the revision's approval."
    return None


def _has_content(revision: Revision, actor: User) -> str | None:
    """Nothing to review: no text and no file (issue 10: an empty document was approved)."""
    if revision.body.strip() or revision.attachments.exists():
        return None
    return (
        f"Revision {revision.label} is empty: write its content or attach a file before "
        "submitting it for review."
    )


def _signed_as(role: str):
    def effect(revision: Revision, actor: User | None) -> None:
        """Mark the actor's named assignment signed (the signature itself is core's)."""
        ReviewAssignment.objects.filter(
            revision=revision, person=actor, role=role, ended_at__isnull=True
        ).update(signed_at=timezone.now())

    return effect


def _end_assignments(revision: Revision, actor: User | None) -> None:
    """Returned to draft: the people named for this round are no longer asked; the
    rows are kept. A new submission names people again."""
    revision.review_assignments.filter(ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="Returned to draft"
    )


def _due(revision: Revision, actor: User | None) -> str | None:
    if revision.is_due(timezone.localdate()):
        return None
    return f"{revision} becomes effective on {revision.effective_date}."


def _effective_now_if_due(revision: Revision, actor: User) -> None:
    if revision.is_due(timezone.localdate()):
        LIFECYCLE.cascade(obj=revision, name="make_effective", actor=actor)


def _supersede_previous(revision: Revision, actor: User | None) -> dict[str, Any]:
    """4.2.4 c): one revision in force. The database allows one effective revision per
    document, so the previous one is superseded first, in the same transaction."""
    previous = (
        Revision.objects.select_for_update()
        .filter(document=revision.document_id, state=S.EFFECTIVE)
        .first()
    )
    if previous is not None:
        LIFECYCLE.cascade(
            obj=previous, name="supersede", actor=actor, changes={"superseded_by": revision.label}
        )
    return {}


def _refresh_in_force(revision: Revision, actor: User | None) -> None:
    """Document.in_force follows the revisions: true while one of them is effective."""
    effective = Revision.objects.filter(document=OuterRef("pk"), state=S.EFFECTIVE)
    Document.objects.filter(pk=revision.document_id).update(in_force=Exists(effective))


def _schedule_periodic_review(revision: Revision, actor: User | None) -> dict[str, Any]:
    document = revision.document
    months = document.doc_type.review_interval_months  # 0: this type has no periodic review
    document.next_review = months_later(timezone.localdate(), months) if months else None
    document.save(update_fields=["next_review"])
    return {"next_review": [None, document.next_review]}


LIFECYCLE = Workflow(
    model=Revision,
    states=RevisionState,
    transitions=[
        Transition(
            "submit",
            sources=(S.DRAFT,),
            target=S.IN_REVIEW,
            permission=EDIT,
            event="documents.revision.submitted",
            label="Submit for review",
            guards=(
                same_person("author", "Only the author submits their draft."),
                _has_content,
            ),
            effects=(notify.revision_submitted,),
        ),
        Transition(
            "review",
            sources=(S.IN_REVIEW,),
            target=S.IN_REVIEW,
            permission=REVIEW,
            event="documents.revision.reviewed",
            label="Review",
            signature="reviewed",
            guards=(
                different_person("author", "The author cannot review their own revision."),
                _not_reviewed_by_me,
                _named_reviewer,
            ),
            effects=(_signed_as("reviewer"),),
        ),
        Transition(
            "sign_approval",
            sources=(S.IN_REVIEW,),
            target=S.IN_REVIEW,
            permission=APPROVE,
            event="documents.revision.approval_signed",
            label="Approve",
            signature="approved",
            guards=(
                different_person("author", "The author cannot approve their own revision."),
                _approvable,
                _not_last_approval,
            ),
            effects=(_signed_as("approver"),),
        ),
        Transition(
            "approve",
            sources=(S.IN_REVIEW,),
            target=S.APPROVED,
            permission=APPROVE,
            event="documents.revision.approved",
            label="Approve",
            signature="approved",
            guards=(
                different_person("author", "The author cannot approve their own revision."),
                _approvable,
                _last_approval,
            ),
            effects=(_signed_as("approver"), _effective_now_if_due),
        ),
        Transition(
            "reject",
            sources=(S.IN_REVIEW,),
            target=S.DRAFT,
            permission=REVIEW,
            event="documents.revision.rejected",
            label="Return to author",
            reason_required=True,
            # 4.2.4: signatures given to content that will change no longer stand.
            voids_signatures="Returned to draft",
            effects=(_end_assignments, notify.revision_returned),
        ),
        Transition(
            "make_effective",
            sources=(S.APPROVED,),
            target=S.EFFECTIVE,
            permission="",
            event="documents.revision.effective",
            label="Make effective",
            system=True,
            guards=(_due,),
            before=(_supersede_previous, _schedule_periodic_review),
            stamp="became_effective_at",
            effects=(_refresh_in_force, hooks.revision_became_effective),
        ),
        Transition(
            "supersede",
            sources=(S.EFFECTIVE,),
            target=S.SUPERSEDED,
            permission="",
            event="documents.revision.superseded",
            label="Supersede",
            cascade=True,
            stamp="ended_at",
            effects=(_refresh_in_force,),
        ),
        Transition(
            "withdraw",
            sources=LIVE_STATES,
            target=S.OBSOLETE,
            permission="",
            event="documents.revision.obsoleted",
            label="Withdraw",
            cascade=True,
            stamp="ended_at",
            effects=(_refresh_in_force,),
        ),
    ],
)


# -- document-level steps: the same refusal for the action and for the page ------------


def _permission(user: User, code: str) -> DomainError | None:
    if has_permission(user, code):
        return None
    return PermissionRefused(f"You need the permission “{permissions.label(code)}”.")


def start_revision_refusal(document: Document, user: User) -> DomainError | None:
    if error := _permission(user, EDIT):
        return error
    if document.withdrawn_at is not None:
        return TransitionNotAllowed(f"{document.number} is withdrawn.")
    if document.revisions.filter(state__in=[S.DRAFT, S.IN_REVIEW, S.APPROVED]).exists():
        return TransitionNotAllowed(
            f"{document.number} already has a revision in progress; finish or return it first."
        )
    return None


def withdraw_refusal(document: Document, user: User) -> DomainError | None:
    if error := _permission(user, WITHDRAW):
        return error
    if document.withdrawn_at is not None:
        return TransitionNotAllowed(f"{document.number} is already withdrawn.")
    return None


def periodic_review_refusal(document: Document, user: User) -> DomainError | None:
    if error := _permission(user, REVIEW):
        return error
    if document.withdrawn_at is not None or effective_revision(document) is None:
        return TransitionNotAllowed(f"{document.number} has no effective revision to review.")
    return None


def effective_revision(document: Document) -> Revision | None:
    return document.revisions.filter(state=S.EFFECTIVE).first()


def periodic_review_content(document: Document) -> dict:
    """What a periodic reviewer is shown, and signs against: the revision in force."""
    revision = effective_revision(document)
    return revision.signature_content() if revision is not None else {}


DOCUMENT_STEPS = {
    "start_revision": start_revision_refusal,
    "periodic_review": periodic_review_refusal,
    "withdraw": withdraw_refusal,
}


def steps_for_many(revisions: list[Revision], user: User) -> dict[int, set[str]]:
    """The table's answer for a list of revisions at once (My tasks), in a fixed number of
    queries: their live signatures are loaded in one query for the guards. The signing
    gates (e.g. training's) are asked when the person opens the revision and when they
    sign, where they are told what to do first; a list of work waiting for them shows it
    still."""
    live: dict[int, dict[str, set[int]]] = {r.pk: {} for r in revisions}
    labels = {r.pk: r.label for r in revisions}
    signatures = Signature.objects.filter(
        object_type=object_type_of(Revision()),
        object_id__in=[str(pk) for pk in live],
        voided_at__isnull=True,
    ).values_list("object_id", "object_version", "meaning", "signer_id")
    for object_id, version, meaning, signer in signatures:
        if labels[int(object_id)] == version:
            live[int(object_id)].setdefault(meaning, set()).add(signer)
    answers = {}
    assignments.preload(revisions)
    for revision in revisions:
        setattr(revision, _PRELOADED, live[revision.pk])
        answers[revision.pk] = {
            t.name
            for t in LIFECYCLE.transitions.values()
            if not (t.system or t.cascade)
            and LIFECYCLE.refusal(revision, user, t, gates=False) is None
        }
    return answers


def document_steps(document: Document, user: User) -> list[str]:
    """The document-level steps `user` may take now (pages and the API show these)."""
    return [name for name, refusal in DOCUMENT_STEPS.items() if refusal(document, user) is None]
