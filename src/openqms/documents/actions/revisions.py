"""The only writers of documents and revisions (ISO 13485 4.2.4).

Each action is the outermost transaction and writes its audit events inside it. Every
step of a revision's lifecycle is declared in one table (lifecycle.LIFECYCLE) and taken
through core's one signed-step path (core.signing), which adds the signatures; so is the
signed periodic review (create-and-sign) and the system's "make effective" on a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials, content_hash
from openqms.core.signing import perform
from openqms.core.text import check_markdown, clean_text
from openqms.documents import hooks
from openqms.documents.actions.lifecycle import (
    LIFECYCLE,
    LIVE_STATES,
    effective_revision,
    periodic_review_content,
    periodic_review_refusal,
    start_revision_refusal,
    withdraw_refusal,
)
from openqms.documents.actions.reviews import approve, submit_for_review
from openqms.documents.models import (
    Attachment,
    Document,
    DocumentType,
    PeriodicReview,
    ReviewOutcome,
    Revision,
    RevisionState,
)
from openqms.documents.numbering import validate_number
from openqms.documents.registry import CREATE, EDIT, REVIEW

S = RevisionState
OPEN = (S.DRAFT, S.IN_REVIEW, S.APPROVED)


def take_step(
    *,
    actor: User,
    revision: Revision,
    step: str,
    reason: str = "",
    credentials: Credentials | None = None,
    no_retraining: str | None = None,
    reviewers: Sequence[User] = (),
    approvers: Sequence[User] = (),
    due_date: dt.date | None = None,
) -> Revision:
    """Submit, review, approve or return a revision (signed where the step asks).

    Submitting names the `reviewers` and `approvers` and the `due_date` (required).
    "approve" is the last approval the type's mode requires, or an approval that keeps
    the revision in review for the other named approvers ("sign_approval").

    On approval, `no_retraining` is the approver's justification that this is a minor
    change needing no retraining; it is saved with the approval, and its signature and
    audit event carry it as their reason."""
    if step == "submit":
        return submit_for_review(
            actor=actor,
            revision=revision,
            reviewers=reviewers,
            approvers=approvers,
            due_date=due_date,
        )
    updates = None
    if no_retraining is not None:
        if step not in ("approve", "sign_approval"):
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
    if step in ("approve", "sign_approval"):
        # Which of the two it is, is decided under the signing lock (review finding 7).
        return approve(
            actor=actor, revision=revision, reason=reason, credentials=credentials, updates=updates
        )
    return LIFECYCLE.apply(
        obj=revision,
        name=step,
        actor=actor,
        reason=reason,
        credentials=credentials,
        updates=updates,
    )


@audit.writing()
def create_document(
    *,
    actor: User,
    doc_type: DocumentType,
    title: str,
    owner: User | None = None,
    clauses: Iterable[str] = (),
    body: str = "",
    change_reason: str = "First issue",
    number: str = "",
) -> Revision:
    """A new document, numbered from its type, with its first revision as a draft.

    `number` keeps an existing number (a document moved in from paper): it must fit the
    type's numbering (documents.numbering, the rule the import uses too)."""
    require(actor, CREATE)
    title = clean_text(title, "title")
    body = check_markdown(body, "body")
    owner = owner or actor
    if not owner.is_active:
        raise InvalidInput(
            f"{owner.full_name} is deactivated and cannot own documents.",
            fields={"owner": "Deactivated."},
        )
    doc_type = DocumentType.objects.select_for_update().get(pk=doc_type.pk)  # numbering
    number = _new_number(doc_type, number)
    now = timezone.now()
    document = Document.objects.create(
        number=number,
        title=title,
        doc_type=doc_type,
        owner=owner,
        clauses=sorted(set(clauses)),
        created_at=now,
    )
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


def _new_number(doc_type: DocumentType, number: str) -> str:
    """The given number, checked, or the type's next; the counter moves past either."""
    if number.strip():
        number = validate_number(doc_type, number)
        if Document.objects.filter(number=number).exists():
            raise InvalidInput(f"{number} already exists.", fields={"number": "Taken."})
    else:
        number = doc_type.format_number(doc_type.next_number)
    n = int(number.rsplit("-", 1)[1])
    if n >= doc_type.next_number:
        doc_type.next_number = n + 1
        doc_type.save(update_fields=["next_number"])
    return number


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


def start_revision(*, actor: User, document: Document, change_reason: str) -> Revision:
    """The next revision as a draft, starting from the effective one's content; the
    effective revision stays in force until the new one becomes effective."""
    change_reason = clean_text(change_reason, "change_reason", limit=2000)
    return perform(
        actor=actor,
        record=document,
        check=lambda doc: start_revision_refusal(doc, actor),
        change=lambda doc, _: _next_draft(actor, doc, change_reason),
    )


def _next_draft(actor: User, document: Document, change_reason: str) -> Revision:
    """Inside a step that holds `document` locked."""
    revisions = document.revisions.all()
    if document.withdrawn_at is not None or revisions.filter(state__in=OPEN).exists():
        raise TransitionNotAllowed(
            f"{document.number} already has a revision in progress; finish or return it first."
        )
    latest = revisions.order_by("-sequence").first()
    source = revisions.filter(state=S.EFFECTIVE).first() or latest
    body = source.body if source else ""
    sequence = (latest.sequence if latest else 0) + 1
    draft = _draft(actor, document, sequence, body, "", change_reason)
    if source is not None:
        _carry_forward(actor, source, draft)
    return draft


def _carry_forward(actor: User, source: Revision, draft: Revision) -> None:
    """The new draft starts with the files of the revision it copies (a form template
    attached to A is still there in B): new rows pointing to the same stored files, each
    audited; the author removes or replaces what no longer belongs."""
    now = timezone.now()
    for old in source.attachments.select_related("stored_file").order_by("name"):
        Attachment.objects.create(
            revision=draft,
            stored_file=old.stored_file,
            name=old.name,
            attached_at=now,
            attached_by=actor,
            text=old.text,  # the same file's words, still found by search
        )
        audit.record(
            actor=actor,
            action="documents.attachment.carried_forward",
            obj=draft,
            changes={
                "attachment": [None, old.name],
                "sha256": old.stored_file.sha256,
                "size": old.stored_file.size,
                "from_revision": source.label,
            },
        )


DRAFT_FIELDS = ("body", "change_summary", "change_reason", "effective_date")


def draft_version(revision: Revision) -> str:
    """The version of a draft's editable content: the SHA-256 of what the editor shows.
    The page and the API send back the version their copy was based on (optimistic
    concurrency: a save based on a stale copy is refused, never silently applied)."""
    return content_hash({name: getattr(revision, name) for name in DRAFT_FIELDS})


class StaleDraft(TransitionNotAllowed):
    """Someone saved the draft after this copy was loaded; `current` is the draft now."""

    code = "stale_draft"

    def __init__(self, current: Revision) -> None:
        super().__init__(
            f"{current} was changed by someone else since you opened it; nothing was "
            "saved. Compare your text with the saved one, then save again.",
            fields={"based_on": "Out of date."},
        )
        self.current = current
        self.current_version = draft_version(current)


@audit.writing()
def edit_draft(
    *,
    actor: User,
    revision: Revision,
    body: str,
    change_summary: str,
    change_reason: str,
    effective_date: dt.date | None = None,
    based_on: str | None = None,
) -> Revision:
    """Change a draft. Content cannot change once the revision is in review.

    `based_on` is the draft_version of the copy the change was made to (the editor and
    the API always send it); if the draft was saved since, nothing is written and
    StaleDraft carries the draft as it is now. None (internal callers only) skips it."""
    require(actor, EDIT)
    revision = Revision.objects.select_for_update().select_related("document").get(pk=revision.pk)
    if revision.state != S.DRAFT:
        raise TransitionNotAllowed(
            "Only a draft can be edited; return the revision to draft first."
        )
    if revision.author_id != actor.pk:
        raise TransitionNotAllowed("Only the author edits their draft.")
    if based_on is not None and based_on != draft_version(revision):
        raise StaleDraft(revision)
    if effective_date is not None and effective_date < timezone.localdate():
        raise InvalidInput(
            "The effective date cannot be in the past.", fields={"effective_date": "In the past."}
        )
    new = {
        "body": check_markdown(body, "body"),
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


def make_due_revisions_effective() -> list[Revision]:
    """What `openqms tick` runs: every approved revision whose date has come, each in its
    own system step. A revision another tick moved meanwhile is skipped, not an error."""
    due = Revision.objects.filter(state=S.APPROVED, effective_date__lte=timezone.localdate())
    made = (LIFECYCLE.apply_system(obj=r, name="make_effective") for r in due.order_by("pk"))
    return [r for r in made if r is not None]


def withdraw_document(*, actor: User, document: Document, reason: str) -> Document:
    """Withdraw a document: its effective and open revisions become obsolete (kept)."""
    reason = clean_text(reason, "reason", limit=2000)
    return perform(
        actor=actor,
        record=document,
        check=lambda doc: withdraw_refusal(doc, actor),
        change=lambda doc, _: _withdraw(actor, doc, reason),
    )


def _withdraw(actor: User, document: Document, reason: str) -> Document:
    for revision in document.revisions.select_for_update().filter(state__in=LIVE_STATES):
        LIFECYCLE.cascade(obj=revision, name="withdraw", actor=actor, reason=reason)
    document.withdrawn_at, document.withdraw_reason = timezone.now(), reason
    document.save(update_fields=["withdrawn_at", "withdraw_reason"])
    audit.record(
        actor=actor,
        action="documents.document.withdrawn",
        obj=document,
        changes={"withdrawn_at": [None, document.withdrawn_at]},
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
    """A signed periodic review of the effective revision (4.2.4 b), created and signed
    in one step; the signer was shown the effective revision's content. "No change
    needed" sets the next review date; "change needed" starts the next revision as a
    draft, in the same transaction."""
    require(actor, REVIEW)
    if outcome not in ReviewOutcome.values:
        raise InvalidInput("Choose the outcome of the review.", fields={"outcome": "Unknown."})
    comment = clean_text(comment, "comment", limit=4000)

    def review_of(doc: Document) -> PeriodicReview:
        return PeriodicReview(
            document=doc,
            revision=effective_revision(doc),
            outcome=outcome,
            comment=comment,
            reviewer=actor,
            reviewed_at=timezone.now(),
            due_date=doc.next_review,
        )

    return perform(
        actor=actor,
        record=document,
        queryset=Document.objects.select_related("doc_type"),
        check=lambda doc: periodic_review_refusal(doc, actor),
        meaning="reviewed",
        credentials=credentials,
        signed=review_of,
        shown=periodic_review_content,
        change=lambda doc, review: _reviewed(actor, doc, review),
    )


def _reviewed(actor: User, document: Document, review: PeriodicReview) -> PeriodicReview:
    changes: dict[str, Any] = {"outcome": review.outcome, "revision": review.revision.label}
    if review.outcome == ReviewOutcome.NO_CHANGE:
        months = document.doc_type.review_interval_months
        after = months_later(timezone.localdate(), months) if months else None
        changes["next_review"] = [document.next_review, after]
        document.next_review = after
        document.save(update_fields=["next_review"])
    audit.record(
        actor=actor,
        action="documents.periodic_review.completed",
        obj=document,
        changes=changes,
        reason=review.comment,
    )
    if review.outcome == ReviewOutcome.CHANGE_NEEDED:
        _next_draft(actor, document, f"Periodic review: {review.comment}")
    return review
