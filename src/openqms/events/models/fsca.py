"""Field safety corrective actions (UK MDR 2002 Part 4A; MHRA guidance on FSCAs).

An FSCA names the devices and identifiers (UDIs, lots, serials) affected, the units
and users affected per market, and what users must do. The MHRA is told before a GB
FSCA is carried out unless it is urgent (then the urgency is justified and the late
notification is flagged until recorded); the UK Responsible Person and the approved
body are told in advance (dated evidence rows). The field safety notice is a controlled
document whose MHRA review is recorded. Reconciliation entries count the units reached
per market until the FSCA is closed (signed)."""

from __future__ import annotations

from typing import Any

from django.db import models

from openqms.core.models import StoredFile, User
from openqms.events.models.base import EventRecord


class FscaState(models.TextChoices):
    PLANNED = "planned", "planned"
    NOTIFIED = "notified", "MHRA notified"
    IN_PROGRESS = "in_progress", "in progress"
    CLOSED = "closed", "closed"


class Scope(models.TextChoices):
    GB = "gb", "GB FSCA"
    OTHER_MARKET = "other_market", "FSCA in another market, for models sold in GB"


class ReviewOutcome(models.TextChoices):
    NO_COMMENTS = "no_comments", "no comments"
    CHANGES = "changes_requested", "changes requested"
    AGREED = "agreed", "agreed"


class Fsca(EventRecord):
    KIND = "fsca"

    state = models.CharField(max_length=20, choices=FscaState.choices, default=FscaState.PLANNED)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.GB)
    other_market = models.CharField(max_length=100, blank=True)
    reason = models.TextField()
    description = models.TextField(blank=True)
    user_actions = models.TextField(help_text="What the users must do")
    urgent = models.BooleanField(default=False)
    urgency_justification = models.TextField(blank=True)
    # Evidence that the MHRA was told (before the action, unless urgent).
    mhra_notified_at = models.DateTimeField(null=True, blank=True)
    mhra_reference = models.CharField(max_length=100, blank=True)
    mhra_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mhra_file_name = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The field safety notice: a controlled document, and the MHRA's review of it.
    notice = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notice_review_on = models.DateField(null=True, blank=True)
    notice_review_outcome = models.CharField(
        max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    notice_review_notes = models.TextField(blank=True)
    closure_justification = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_fsca_open"),
            models.Index(fields=["state", "opened_at"]),
        ]

    @property
    def notification_late(self) -> bool:
        """A GB FSCA started (urgent) before the MHRA's notification is recorded."""
        return (
            self.scope == Scope.GB and self.started_at is not None and self.mhra_notified_at is None
        )

    def signature_version(self) -> str:
        return self.number

    def signature_content(self) -> dict[str, Any]:
        """What the closure signature covers."""
        return {
            "number": self.number,
            "scope": self.scope,
            "reason": self.reason,
            "user_actions": self.user_actions,
            "urgent": self.urgent,
            "mhra_notified_at": self.mhra_notified_at.isoformat()
            if self.mhra_notified_at
            else None,
            "mhra_reference": self.mhra_reference,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "notice": self.notice_id,
            "notice_review_outcome": self.notice_review_outcome,
        }

    def export_row(self) -> dict[str, Any]:
        return super().export_row() | {
            "scope": self.get_scope_display(),
            "urgent": "yes" if self.urgent else "no",
            "mhra_notified_at": self.mhra_notified_at,
            "mhra_reference": self.mhra_reference,
            "started_at": self.started_at,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "Field safety corrective action",
                [
                    (
                        "Scope",
                        self.get_scope_display()
                        + (f" ({self.other_market})" if self.other_market else ""),
                    ),
                    ("Reason", self.reason),
                    ("Description", self.description or "—"),
                    ("What users must do", self.user_actions),
                    ("Urgent", f"yes: {self.urgency_justification}" if self.urgent else "no"),
                    ("MHRA notified", self.mhra_notified_at or "not recorded"),
                    ("MHRA reference", self.mhra_reference or "—"),
                    ("Started", self.started_at or "not started"),
                    ("Field safety notice", str(self.notice) if self.notice_id else "—"),
                    ("MHRA review of the notice", self.get_notice_review_outcome_display() or "—"),
                    ("Closure justification", self.closure_justification or "—"),
                ],
            ),
        ]


class FscaDevice(models.Model):
    """A device the FSCA concerns, with the UDIs, lots or serials affected."""

    fsca = models.ForeignKey(Fsca, on_delete=models.PROTECT, related_name="devices")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+")
    identifiers = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.device}: {self.identifiers}"


class Market(models.TextChoices):
    GB = "gb", "Great Britain"
    NI = "ni", "Northern Ireland"
    EU = "eu", "European Union"
    OTHER = "other", "other country"


class FscaMarket(models.Model):
    """Units and users affected in one market."""

    fsca = models.ForeignKey(Fsca, on_delete=models.PROTECT, related_name="markets")
    market = models.CharField(max_length=10, choices=Market.choices)
    country = models.CharField(max_length=100, blank=True)
    units_affected = models.PositiveIntegerField()
    users_affected = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fsca", "market", "country"], name="events_fsca_one_row_per_market"
            )
        ]

    def __str__(self) -> str:
        return self.get_market_display() + (f" ({self.country})" if self.country else "")


class Party(models.TextChoices):
    UK_RP = "uk_rp", "UK Responsible Person"
    APPROVED_BODY = "approved_body", "approved body"


class FscaNotice(models.Model):
    """Dated evidence that the UK Responsible Person or the approved body was told."""

    fsca = models.ForeignKey(Fsca, on_delete=models.PROTECT, related_name="notices")
    party = models.CharField(max_length=20, choices=Party.choices)
    told = models.CharField(max_length=200, help_text="Who was told")
    told_at = models.DateTimeField()
    how = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["told_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} told {self.told_at:%Y-%m-%d}"


class Reconciliation(models.Model):
    """Units reached in one market on one date (adds to the entries before it)."""

    fsca = models.ForeignKey(Fsca, on_delete=models.PROTECT, related_name="reconciliations")
    market = models.ForeignKey(FscaMarket, on_delete=models.PROTECT, related_name="entries")
    reached_on = models.DateField()
    units_reached = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["reached_on", "pk"]

    def __str__(self) -> str:
        return f"{self.units_reached} units on {self.reached_on}"
