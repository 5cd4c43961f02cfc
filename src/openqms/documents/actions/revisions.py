"""The only writers of documents and revisions (ISO 13485 4.2.4).

Each action is the outermost transaction and writes its audit events inside it; the
review/approval steps go through the workflow engine (REVIEW below), which adds the
electronic signatures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature, User
from openqms.core.signatures import (
    Credentials,
    apply_signature,
    object_type_of,
    reauthenticate,
    signing_refusal,
    void_signatures,
)
from openqms.core.text import clean_text
from openqms.core.workflow import Transition, Workflow, different_person, same_person
from openqms.documents import hooks, notify
from openqms.documents.models import (
    Document,
    DocumentType,
    PeriodicReview,
    ReviewOutcome,
    Revision,
    RevisionState,
)
from openqms.documents.registry import APPROVE, CREATE, EDIT, REVIEW, WITHDRAW

S = RevisionState


def _reviewed_if_required(revision: Revision, actor: User) -> str | None:
    """A type that needs review needs a live reviewer's signature on this revision."""
    if not revision.document.doc_type.needs_review:
        return None
    reviewed = Signature.objects.filter(
        object_type=object_type_of(revision),
        object_id=str(revision.pk),
        object_version=revision.label,
        meaning="reviewed",
        voided_at__isnull=True,
    ).exists()
    return None if reviewed else "It needs a reviewer's signature before approval."


def _effective_now_if_due(revision: Revision, actor: User) -> None:
    if revision.is_due(timezone.localdate()):
        _make_effective(revision, actor)


def _void_on_return(revision: Revision, actor: User) -> None:
    # 4.2.4: signatures given to content that will change no longer stand.
    void_signatures(actor=actor, obj=revision, reason="Returned to draft")


REVIEW_FLOW = Workflow(
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
            guards=(same_person("author", "Only the author submits their draft."),),
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
            guards=(different_person("author", "The author cannot review their own revision."),),
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
                _reviewed_if_required,
            ),
            effects=(_effective_now_if_due,),
        ),
        Transition(
            "reject",
            sources=(S.IN_REVIEW,),
            target=S.DRAFT,
            permission=REVIEW,
            event="documents.revision.rejected",
            label="Return to author",
            reason_required=True,
            effects=(_void_on_return, notify.revision_returned),
        ),
    ],
)


def take_step(
    *,
    actor: User,
    revision: Revision,
    step: str,
    reason: str = "",
    credentials: Credentials | None = None,
    no_retraining: str | None = None,
) -> Revision:
    """Submit, review, approve or return a revision (signed where the step asks).

    On approval, `no_retraining` is the approver's justification that this is a minor
    change needing no retraining; it is saved with the approval, and its signature and
    audit event carry it as their reason."""
    updates = None
    if no_retraining is not None:
        if step != "approve":
            raise InvalidInput("Only the approver decides that no retraining is needed.")
        no_retraining = clean_text(no_retraining, "justification", limit=2000)
        if revision.sequence == 1:
            raise InvalidInput(
                "A first revision has nobody trained on an earlier one: training is needed.",
                fields={"justification": "Not for a first revision."},
            )
        updates = {"retraining_needed": False, "retraining_justification": no_retraining}
        decision = f"No retraining needed: {no_retraining}"
        reason = f"{reason.strip()} — {decision}" if reason.strip() else decision
    return REVIEW_FLOW.apply(
        obj=revision,
        name=step,
        actor=actor,
        reason=reason,
        credentials=credentials,
        updates=updates,
    )


@transaction.atomic(durable=True)
def create_document(
    *,
    actor: User,
    doc_type: DocumentType,
    title: str,
    owner: User | None = None,
    clauses: Iterable[str] = (),
    body: str = "",
    change_reason: str = "First issue",
) -> Revision:
    """A new document, numbered from its type, with its first revision as a draft."""
    require(actor, CREATE)
    title = clean_text(title, "title")
    owner = owner or actor
    if not owner.is_active:
        raise InvalidInput(
            f"{owner.full_name} is deactivated and cannot own documents.",
            fields={"owner": "Deactivated."},
        )
    doc_type = DocumentType.objects.select_for_update().get(pk=doc_type.pk)  # numbering
    now = timezone.now()
    document = Document.objects.create(
        number=doc_type.format_number(doc_type.next_number),
        title=title,
        doc_type=doc_type,
        owner=owner,
        clauses=sorted(set(clauses)),
        created_at=now,
    )
    doc_type.next_number += 1
    doc_type.save(update_fields=["next_number"])
    audit.record(
        actor=actor,
        action="documents.document.created",
        obj=document,
        changes={
            "number": [None, document.number],
            "title": [None, title],
            "type": [None, doc_type.code],
            "owner": [None, owner.username],
            "clauses": [None, document.clauses],
        },
    )
    return _draft(actor, document, 1, body, "", change_reason)


def _draft(
    actor: User, document: Document, sequence: int, body: str, summary: str, reason: str
) -> Revision:
    revision = Revision.objects.create(
        document=document,
        sequence=sequence,
        label=document.doc_type.revision_label(sequence),
        body=body,
        change_summary=summary,
        change_reason=reason,
        author=actor,
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="documents.revision.drafted",
        obj=revision,
        changes={
            "document": document.number,
            "label": [None, revision.label],
            "change_reason": [None, reason],
        },
    )
    return revision


@transaction.atomic(durable=True)
def start_revision(*, actor: User, document: Document, change_reason: str) -> Revision:
    """The next revision as a draft, starting from the effective one's content; the
    effective revision stays in force until the new one becomes effective."""
    require(actor, EDIT)
    return _start_revision(actor, document, change_reason)


def _start_revision(actor: User, document: Document, change_reason: str) -> Revision:
    change_reason = clean_text(change_reason, "change_reason", limit=2000)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is not None:
        raise TransitionNotAllowed(f"{document.number} is withdrawn.")
    revisions = document.revisions.all()
    if revisions.filter(state__in=[S.DRAFT, S.IN_REVIEW, S.APPROVED]).exists():
        raise TransitionNotAllowed(
            f"{document.number} already has a revision in progress; finish or return it first."
        )
    latest = revisions.order_by("-sequence").first()
    effective = revisions.filter(state=S.EFFECTIVE).first()
    body = effective.body if effective else (latest.body if latest else "")
    return _draft(actor, document, (latest.sequence if latest else 0) + 1, body, "", change_reason)


@transaction.atomic(durable=True)
def edit_draft(
    *,
    actor: User,
    revision: Revision,
    body: str,
    change_summary: str,
    change_reason: str,
    effective_date: dt.date | None = None,
) -> Revision:
    """Change a draft. Content cannot change once the revision is in review."""
    require(actor, EDIT)
    revision = Revision.objects.select_for_update().select_related("document").get(pk=revision.pk)
    if revision.state != S.DRAFT:
        raise TransitionNotAllowed(
            "Only a draft can be edited; return the revision to draft first."
        )
    if revision.author_id != actor.pk:
        raise TransitionNotAllowed("Only the author edits their draft.")
    if effective_date is not None and effective_date < timezone.localdate():
        raise InvalidInput(
            "The effective date cannot be in the past.", fields={"effective_date": "In the past."}
        )
    new = {
        "body": body,
        "change_summary": clean_text(change_summary, "change_summary", required=False, limit=2000),
        "change_reason": clean_text(change_reason, "change_reason", limit=2000),
        "effective_date": effective_date,
    }
    changes = audit.diff({k: getattr(revision, k) for k in new}, new)
    if not changes:
        raise InvalidInput("Nothing changed.")
    for field, value in new.items():
        setattr(revision, field, value)
    revision.save(update_fields=list(new))
    audit.record(actor=actor, action="documents.revision.edited", obj=revision, changes=changes)
    return revision


def _make_effective(revision: Revision, actor: User | None) -> None:
    """Inside a transaction: the revision comes into force, the previous one is superseded
    in the same transaction (the database allows only one effective revision)."""
    now = timezone.now()
    previous = (
        Revision.objects.select_for_update()
        .filter(document=revision.document_id, state=S.EFFECTIVE)
        .first()
    )
    if previous is not None:
        previous.state, previous.ended_at = S.SUPERSEDED, now
        previous.save(update_fields=["state", "ended_at"])
        audit.record(
            actor=actor,
            action="documents.revision.superseded",
            obj=previous,
            changes={"state": [S.EFFECTIVE, S.SUPERSEDED], "superseded_by": revision.label},
        )
    old_state = revision.state
    revision.state, revision.became_effective_at = S.EFFECTIVE, now
    revision.save(update_fields=["state", "became_effective_at"])
    document = revision.document
    months = document.doc_type.review_interval_months  # 0: this type has no periodic review
    document.next_review = months_later(timezone.localdate(), months) if months else None
    document.save(update_fields=["next_review"])
    audit.record(
        actor=actor,
        action="documents.revision.effective",
        obj=revision,
        changes={"state": [old_state, S.EFFECTIVE], "next_review": [None, document.next_review]},
    )
    hooks.revision_became_effective(revision, actor)


@transaction.atomic(durable=True)
def make_effective(*, actor: User | None, revision: Revision) -> Revision:
    """An approved revision whose effective date has come (what `openqms tick` runs)."""
    revision = (
        Revision.objects.select_for_update()
        .select_related("document__doc_type")
        .get(pk=revision.pk)
    )
    if revision.state != S.APPROVED:
        raise TransitionNotAllowed(f"{revision} is {revision.get_state_display()}.")
    if not revision.is_due(timezone.localdate()):
        raise TransitionNotAllowed(f"{revision} becomes effective on {revision.effective_date}.")
    _make_effective(revision, actor)
    return revision


def make_due_revisions_effective(*, actor: User | None = None) -> list[Revision]:
    """Every approved revision whose date has come, each in its own transaction."""
    due = Revision.objects.filter(state=S.APPROVED, effective_date__lte=timezone.localdate())
    return [make_effective(actor=actor, revision=r) for r in due.order_by("pk")]


@transaction.atomic(durable=True)
def withdraw_document(*, actor: User, document: Document, reason: str) -> Document:
    """Withdraw a document: its effective and open revisions become obsolete (kept)."""
    require(actor, WITHDRAW)
    reason = clean_text(reason, "reason", limit=2000)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is not None:
        raise TransitionNotAllowed(f"{document.number} is already withdrawn.")
    now = timezone.now()
    for revision in document.revisions.select_for_update().filter(
        state__in=[S.DRAFT, S.IN_REVIEW, S.APPROVED, S.EFFECTIVE]
    ):
        audit.record(
            actor=actor,
            action="documents.revision.obsoleted",
            obj=revision,
            changes={"state": [revision.state, S.OBSOLETE]},
            reason=reason,
        )
        revision.state, revision.ended_at = S.OBSOLETE, now
        revision.save(update_fields=["state", "ended_at"])
    document.withdrawn_at, document.withdraw_reason = now, reason
    document.save(update_fields=["withdrawn_at", "withdraw_reason"])
    audit.record(
        actor=actor,
        action="documents.document.withdrawn",
        obj=document,
        changes={"withdrawn_at": [None, now]},
        reason=reason,
    )
    hooks.document_withdrawn(document, actor, reason)
    return document


def complete_periodic_review(
    *,
    actor: User,
    document: Document,
    outcome: str,
    comment: str,
    credentials: Credentials | None,
) -> PeriodicReview:
    """A signed periodic review (4.2.4 b). "No change needed" sets the next review date;
    "change needed" starts the next revision as a draft, in the same transaction."""
    require(actor, REVIEW)
    if outcome not in ReviewOutcome.values:
        raise InvalidInput("Choose the outcome of the review.", fields={"outcome": "Unknown."})
    comment = clean_text(comment, "comment", limit=4000)
    # A gate's refusal comes before the password, so it never counts as a failed signing.
    effective = document.revisions.filter(state=S.EFFECTIVE).first()
    if effective is not None:
        draft_review = PeriodicReview(document=document, revision=effective)
        refusal = signing_refusal(signer=actor, obj=draft_review, meaning="reviewed")
        if refusal:
            raise TransitionNotAllowed(refusal)
    reauthenticate(signer=actor, credentials=credentials)
    with transaction.atomic(durable=True):
        document = (
            Document.objects.select_for_update().select_related("doc_type").get(pk=document.pk)
        )
        revision = document.revisions.filter(state=S.EFFECTIVE).first()
        if revision is None or document.withdrawn_at is not None:
            raise TransitionNotAllowed(f"{document.number} has no effective revision to review.")
        review = PeriodicReview.objects.create(
            document=document,
            revision=revision,
            outcome=outcome,
            comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
            due_date=document.next_review,
        )
        apply_signature(
            signer=actor,
            obj=review,
            meaning="reviewed",
            seen_hash=credentials.content_hash if credentials else "",
        )
        changes = {"outcome": outcome, "revision": revision.label}
        if outcome == ReviewOutcome.NO_CHANGE:
            months = document.doc_type.review_interval_months
            after = months_later(timezone.localdate(), months) if months else None
            changes["next_review"] = [document.next_review, after]  # type: ignore[assignment]
            document.next_review = after
            document.save(update_fields=["next_review"])
        audit.record(
            actor=actor,
            action="documents.periodic_review.completed",
            obj=document,
            changes=changes,
            reason=comment,
        )
        if outcome == ReviewOutcome.CHANGE_NEEDED:
            _start_revision(actor, document, f"Periodic review: {comment}")
    return review
