"""Controlled documents and their revisions (ISO 13485 4.2.4, 4.2.5).

A document is the identity (number, title, type, owner, clauses); a revision is the
content. Obsolete and superseded revisions are never deleted: 4.2.4 asks for at least
one copy to be kept for the lifetime of the device.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import StoredFile, User


class RevisionScheme(models.TextChoices):
    LETTERS = "letters", "A, B, C…"
    NUMBERS = "numbers", "1, 2, 3…"


class ApprovalMode(models.TextChoices):
    """How the named reviewers, and then the named approvers, of a revision must sign."""

    ALL = "all", "All named people sign, in any order"
    ANY = "any", "Any one of the named people signs"
    SEQUENCE = "sequence", "All named people sign, in the order named"


class DocumentType(models.Model):
    """Configuration: numbering, revision labels, review interval, required signatures."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=10, unique=True)
    digits = models.PositiveSmallIntegerField(default=3)
    next_number = models.PositiveIntegerField(default=1)
    revision_scheme = models.CharField(
        max_length=10, choices=RevisionScheme.choices, default=RevisionScheme.LETTERS
    )
    review_interval_months = models.PositiveSmallIntegerField(default=24)
    needs_review = models.BooleanField(default=True, help_text="A reviewer signs before approval")
    # Segregation of duties (21 CFR 11.10(g), EU GMP Annex 11 §12): whoever reviewed a
    # revision does not also approve it.
    reviewer_cannot_approve = models.BooleanField(
        default=True, help_text="The person who reviewed a revision cannot also approve it"
    )
    approval_mode = models.CharField(
        max_length=10, choices=ApprovalMode.choices, default=ApprovalMode.ALL
    )
    # ISO 13485 4.2.5: the type's proposal for its record class ("documents.type.<code>",
    # documents.actions.records): years after withdrawal, 0 keeps for ever. The rule set on
    # core's Retention page replaces it. The type's action refuses less than two years
    # (MINIMUM_YEARS there); a value of 1 saved before that check counts as 2.
    retention_years = models.PositiveSmallIntegerField(
        default=0,
        help_text="Proposed retention after withdrawal, 2 years or more (0: for ever); "
        "the rule set on the Retention page replaces it.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def format_number(self, n: int) -> str:
        return f"{self.prefix}-{n:0{self.digits}d}"

    def revision_label(self, sequence: int) -> str:
        if self.revision_scheme == RevisionScheme.NUMBERS:
            return str(sequence)
        label = ""
        while sequence > 0:  # 1 → A, 26 → Z, 27 → AA
            sequence, rest = divmod(sequence - 1, 26)
            label = chr(ord("A") + rest) + label
        return label


class Document(models.Model):
    number = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_documents")
    clauses = models.JSONField(default=list, help_text="ISO 13485 clauses it serves, e.g. 4.2.4")
    created_at = models.DateTimeField()
    next_review = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    # Whether a revision is in force (effective) now: kept by the lifecycle steps that
    # change it (and by legacy imports), so "the documents an ordinary reader may open"
    # is read off this row, not worked out from every revision on each list, page and
    # search. `openqms verify` compares it with the revisions (documents/reconcile.py).
    in_force = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RevisionState(models.TextChoices):
    DRAFT = "draft", "draft"
    IN_REVIEW = "in_review", "in review"
    APPROVED = "approved", "approved, not yet effective"
    EFFECTIVE = "effective", "effective"
    SUPERSEDED = "superseded", "superseded"
    OBSOLETE = "obsolete", "obsolete"


OPEN_STATES = (RevisionState.DRAFT, RevisionState.IN_REVIEW, RevisionState.APPROVED)


class Revision(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    sequence = models.PositiveIntegerField()
    label = models.CharField(max_length=10)
    state = models.CharField(
        max_length=20, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    body = models.TextField(blank=True, help_text="Markdown")
    change_summary = models.TextField(blank=True)
    change_reason = models.TextField(blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    effective_date = models.DateField(null=True, blank=True)
    became_effective_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The approver's decision, kept with the approval: a minor change that needs no
    # retraining; people trained on the previous revision stay current (ISO 13485 6.2).
    retraining_needed = models.BooleanField(default=True)
    retraining_justification = models.TextField(blank=True)
    # A legacy import (approved on paper before OpenQMS): where it came from.
    imported_from = models.CharField(max_length=200, blank=True)
    imported_sha256 = models.CharField(max_length=64, blank=True)
    # Who ran the import, and the paper approval it stands on (a change record, a
    # signed-off form number): an auditor traces the legacy revision back to both.
    imported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legacy_approval_ref = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["document", "-sequence"]
        # "Which documents have an effective revision?" is every ordinary reader's list.
        indexes = [models.Index(fields=["state", "document"], name="doc_revision_state")]
        constraints = [
            models.UniqueConstraint(fields=["document", "sequence"], name="doc_revision_sequence"),
            models.UniqueConstraint(fields=["document", "label"], name="doc_revision_label"),
            # 4.2.4 c): one current revision at a point of use
            models.UniqueConstraint(
                fields=["document"], condition=Q(state="effective"), name="doc_one_effective"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state__in=["draft", "in_review", "approved"]),
                name="doc_one_open_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} rev {self.label}"

    def governing_document_ids(self) -> list[int]:
        """A revision's review and approval are done to its own document (core.governance)."""
        return [self.document_id]

    def signature_version(self) -> str:
        return self.label

    def signature_content(self) -> dict:
        """Exactly what review and approval sign: the content and its identity."""
        document = self.document
        attachments = self.attachments.order_by("name").values_list("name", "stored_file__sha256")
        return _revision_content(
            document.number,
            document.title,
            self.label,
            self.body,
            self.change_summary,
            self.change_reason,
            self.effective_date,
            list(attachments),
        )

    @classmethod
    def signature_contents(cls, pks: Iterable[Any]) -> dict[Any, tuple[str, dict]]:
        """{pk: (signature_version, signature_content)} of many revisions in two queries
        (`openqms verify` recomputes every signature's content hash)."""
        pks = list(pks)
        files: dict[int, list[tuple[str, str]]] = defaultdict(list)
        attached = Attachment.objects.filter(revision_id__in=pks).order_by("revision_id", "name")
        for revision_id, name, sha in attached.values_list(
            "revision_id", "name", "stored_file__sha256"
        ):
            files[revision_id].append((name, sha))
        rows = cls.objects.filter(pk__in=pks).values_list(
            "pk",
            "document__number",
            "document__title",
            "label",
            "body",
            "change_summary",
            "change_reason",
            "effective_date",
        )
        return {
            pk: (
                label,
                _revision_content(number, title, label, body, summary, reason, date, files[pk]),
            )
            for pk, number, title, label, body, summary, reason, date in rows
        }

    def is_due(self, today: dt.date) -> bool:
        return self.effective_date is None or self.effective_date <= today


def _revision_content(
    number: str,
    title: str,
    label: str,
    body: str,
    change_summary: str,
    change_reason: str,
    effective_date: dt.date | None,
    attachments: list[tuple[str, str]],  # (name, sha256) by name, as the database orders
) -> dict:
    return {
        "number": number,
        "title": title,
        "revision": label,
        "body": body,
        "change_summary": change_summary,
        "change_reason": change_reason,
        "effective_date": effective_date.isoformat() if effective_date else None,
        "attachments": [{"name": name, "sha256": sha} for name, sha in attachments],
    }


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change needed"
    CHANGE_NEEDED = "change_needed", "A change is needed (a new draft is started)"


class PeriodicReview(models.Model):
    """A signed periodic review of a document's effective revision (4.2.4 b)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    comment = models.TextField()
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"Periodic review of {self.document.number} rev {self.revision.label}"

    def governing_document_ids(self) -> list[int]:
        """The reviewer reviews the document itself, so follows it (core.governance)."""
        return [self.document_id]

    def signature_version(self) -> str:
        return str(self.pk)

    def signature_content(self) -> dict:
        return {
            "document": self.document.number,
            "revision": self.revision.label,
            "revision_body": self.revision.body,
            "outcome": self.outcome,
            "comment": self.comment,
            "due_date": self.due_date.isoformat() if self.due_date else None,
        }


class ExternalDocument(models.Model):
    """A standard or regulation the QMS relies on, and when its currency was last checked
    (4.2.4 f: documents of external origin identified and their distribution controlled)."""

    reference = models.CharField(max_length=100, unique=True, help_text="e.g. ISO 13485:2016")
    title = models.CharField(max_length=300)
    edition = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Publisher or where held")
    last_checked = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_current = models.BooleanField(default=True)  # meaningful once last_checked is set
    notes = models.TextField(blank=True)
    # How often its currency is checked, and when the next check is due (today for one
    # never checked); a reminder goes once per due date (reminded_for).
    check_interval_months = models.PositiveSmallIntegerField(default=12)
    check_due = models.DateField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    @property
    def never_checked(self) -> bool:
        return self.last_checked is None


class Attachment(models.Model):
    """An original file (PDF, DOCX, XLSX, image…) of a revision, kept in the file store."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="attachments")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    attached_at = models.DateTimeField()
    attached_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The words of a PDF or Word original, read when it was attached or imported, for
    # search (documents/originals.py; bounded): derived from the file, never signed.
    text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "name"], name="doc_attachment_name")
        ]

    def __str__(self) -> str:
        return self.name


class LegalHold(models.Model):
    """While a hold is on, the document cannot be disposed of, whatever its retention."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Hold on {self.document.number}"


class Disposition(models.Model):
    """The signed decision that a document's retention has run out and it is disposed of."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="disposition")
    reason = models.TextField()
    retention_ended = models.DateField()
    disposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Disposition of {self.document.number}"

    def governing_document_ids(self) -> list[int]:
        """None (core.governance): the disposed document is what is decided on, not a
        procedure the person disposing of it follows."""
        return []

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict:
        return {
            "document": self.document.number,
            "reason": self.reason,
            "retention_ended": self.retention_ended.isoformat(),
        }


class ReviewRole(models.TextChoices):
    REVIEWER = "reviewer", "reviewer"
    APPROVER = "approver", "approver"


class ReviewAssignment(models.Model):
    """A person named, when a revision was submitted, to review or approve it by a date.

    Kept for ever with the revision: a reassignment or a return to draft ends the row
    (`ended_at`, `end_reason`) and never deletes it, so the record shows who was asked."""

    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="review_assignments"
    )
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=ReviewRole.choices)
    position = models.PositiveSmallIntegerField(help_text="Order within the role, from 1")
    due_date = models.DateField()
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "role", "person"],
                condition=Q(ended_at__isnull=True),
                name="doc_assignment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.revision}"


class ReviewComment(models.Model):
    """A named reviewer's or approver's comment on a revision in review: kept with the
    revision for ever; the author resolves it (with an optional reply), never deletes it."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="review_comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    quote = models.CharField(max_length=500, blank=True, help_text="The passage it is about")
    created_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.revision}"


class ReviewReminder(models.Model):
    """So a review reminder email goes once per period: what it was about, when it went."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
