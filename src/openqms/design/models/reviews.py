"""Phases, design reviews and design changes of a design project (ISO 13485 7.3.2,
7.3.5, 7.3.9). A design review is signed by each named participant and by the
independent reviewer; a design change is approved by signature and, when done, opens a
new baseline. Written only by design.actions.reviews and design.actions.changes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from openqms.core.models import User


class PhaseState(models.TextChoices):
    OPEN = "open", "open"
    CLOSED = "closed", "closed"


class DesignPhase(models.Model):
    """A phase of the development plan (7.3.2 a): planning, design inputs, …"""

    project = models.ForeignKey(
        "design.DesignProject", on_delete=models.PROTECT, related_name="phases"
    )
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    planned_end = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=PhaseState.choices, default=PhaseState.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["project", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="design_phase_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewOutcome(models.TextChoices):
    PASSED = "passed", "passed: go on to the next phase"
    PASSED_WITH_ACTIONS = "passed_with_actions", "passed with actions"
    NOT_PASSED = "not_passed", "not passed: rework and review again"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "draft"
    SIGNING = "signing", "being signed"
    COMPLETE = "complete", "complete (all signed)"


class DesignReview(models.Model):
    """A design review (7.3.5): what was reviewed (items, or a baseline), in which phase,
    by whom, what was found and what must be done, and the outcome."""

    project = models.ForeignKey(
        "design.DesignProject", on_delete=models.PROTECT, related_name="reviews"
    )
    title = models.CharField(max_length=200)
    phase = models.ForeignKey(
        DesignPhase, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    baseline = models.ForeignKey(
        "design.Baseline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    items = models.ManyToManyField("design.Item", blank=True, related_name="+")
    # What was reviewed as it stood when the review was sent for signatures ("uid vN",
    # the baseline's digest): the signatures cover these, not the items or baseline as
    # they are later (editing an item or refreshing an open baseline is normal work).
    item_versions = models.JSONField(default=list, blank=True)
    baseline_digest = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=30, choices=ReviewOutcome.choices)
    summary = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("design:review", args=[self.pk])

    def signature_version(self) -> str:
        return str(self.version)

    def signature_content(self) -> dict:
        return {
            "project": self.project.name,
            "title": self.title,
            "phase": self.phase.name if self.phase else None,
            "baseline": [self.baseline.name, self.baseline_digest] if self.baseline else None,
            "items": self.item_versions,
            "participants": sorted(
                [p.person.username, p.role] for p in self.participants.select_related("person")
            ),
            "findings": [
                [f.text, f.owner.username, f.due.isoformat() if f.due else None]
                for f in self.findings.select_related("owner").order_by("pk")
            ],
            "outcome": self.outcome,
            "summary": self.summary,
        }


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", "participant"
    INDEPENDENT = "independent", "independent reviewer"


class SignState(models.TextChoices):
    PENDING = "pending", "to sign"
    SIGNED = "signed", "signed"


class ReviewParticipant(models.Model):
    """A named person of a design review; each signs the review (their own row)."""

    review = models.ForeignKey(DesignReview, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    state = models.CharField(max_length=10, choices=SignState.choices, default=SignState.PENDING)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="design_review_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()

    def signature_version(self) -> str:
        return str(self.review.version)

    def signature_content(self) -> dict:
        """The whole review, and in which role this person signs it."""
        return {
            "review": self.review.signature_content(),
            "signer": self.person.username,
            "role": self.role,
        }


class ReviewFinding(models.Model):
    """A finding of a design review and the action it needs: who, by when."""

    review = models.ForeignKey(DesignReview, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ChangeState(models.TextChoices):
    DRAFT = "draft", "draft (impact being assessed)"
    APPROVED = "approved", "approved"
    DONE = "done", "done (new baseline opened)"


class DesignChange(models.Model):
    """A design change (7.3.9) with its impact assessment: the items it affects, the
    risks, the verification to redo, the regulatory impact."""

    project = models.ForeignKey(
        "design.DesignProject", on_delete=models.PROTECT, related_name="changes"
    )
    number = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    reason = models.TextField()
    affected_items = models.ManyToManyField("design.Item", blank=True, related_name="+")
    risk_items = models.ManyToManyField("design.Item", blank=True, related_name="+")
    risk_assessment = models.TextField(blank=True)
    reverify_items = models.ManyToManyField("design.Item", blank=True, related_name="+")
    # The impact assessment as recorded ("uid vN" of each item, the device's name): the
    # approval signs these, not the items as they are later (carrying out the change
    # edits the affected items; the device may be renamed).
    affected_versions = models.JSONField(default=list, blank=True)
    risk_versions = models.JSONField(default=list, blank=True)
    reverify_versions = models.JSONField(default=list, blank=True)
    device_name = models.CharField(max_length=300, blank=True)
    regulatory_impact = models.BooleanField(default=False)
    regulatory_text = models.TextField(blank=True)
    # The QMS scope version in force when the impact was assessed (ISO 13485 4.1.4, 7.3.9:
    # a change may touch the scope the certificate covers). Optional; approval signs it.
    scope_version = models.ForeignKey(
        "qms.ScopeVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=ChangeState.choices, default=ChangeState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    new_baseline = models.ForeignKey(
        "design.Baseline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("design:change", args=[self.pk])

    def signature_version(self) -> str:
        return str(self.version)

    def signature_content(self) -> dict:
        content = {
            "number": self.number,
            "project": self.project.name,
            "title": self.title,
            "description": self.description,
            "reason": self.reason,
            "affected_items": self.affected_versions,
            "risk_items": self.risk_versions,
            "risk_assessment": self.risk_assessment,
            "reverify_items": self.reverify_versions,
            "regulatory_impact": self.regulatory_impact,
            "regulatory_text": self.regulatory_text,
            "device": self.device_name or None,
        }
        if self.scope_version_id:
            # Only when named, so changes approved before the field existed keep the hash
            # their approvers signed.
            content["qms_scope"] = str(self.scope_version)
        return content
