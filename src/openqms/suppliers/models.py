"""Suppliers and outsourced processes (ISO 13485 4.1.5, 7.4).

A supplier's status is set only by a signed decision on an evaluation (7.4.1: criteria
for evaluation and selection, records of the evaluation and of the actions it needs);
a later decision is a new evaluation, never an edit. Nothing here is deleted: suppliers,
certificates, performance records, outsourced processes and their interface rows are
retired or withdrawn with a reason and stay on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.access import is_member
from openqms.core.models import User


class Criticality(models.TextChoices):
    # 7.4.1: the control applied is proportionate to the effect on the device.
    CRITICAL = "critical", "critical"
    MAJOR = "major", "major"
    MINOR = "minor", "minor"


class Category(models.TextChoices):
    COMPONENT = "component", "components and materials"
    MANUFACTURING = "manufacturing", "contract manufacturing"
    DESIGN = "design", "design and development"
    SOFTWARE = "software", "software and cloud services"
    SERVICE = "service", "services (calibration, testing, logistics)"
    OTHER = "other", "other"


class Status(models.TextChoices):
    NEW = "new", "new, not yet evaluated"
    APPROVED = "approved", "approved"
    CONDITIONAL = "conditional", "conditionally approved"
    DISQUALIFIED = "disqualified", "disqualified"


DECISIONS = (Status.APPROVED, Status.CONDITIONAL, Status.DISQUALIFIED)


class ReevaluationInterval(models.Model):
    """How often a supplier of each criticality is evaluated again (configuration)."""

    criticality = models.CharField(max_length=10, choices=Criticality.choices, unique=True)
    months = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Re-evaluation of {self.criticality} suppliers every {self.months} months"


class Criterion(models.Model):
    """One criterion evaluations score 1–5 (configuration rows, seeded)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=50)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


# Everyone with a role reads the approved supplier list (purchasing, engineering and
# audit all use it, 7.4.1); someone with no rights at all reads nothing.
is_reader = is_member


class SupplierQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> SupplierQuerySet:
        return self if is_reader(user) else self.none()


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    supplies = models.TextField(help_text="The products or services they supply")
    category = models.CharField(max_length=20, choices=Category.choices)
    criticality = models.CharField(max_length=10, choices=Criticality.choices)
    criticality_rationale = models.TextField(
        help_text="The impact of what they supply on the device's safety and performance"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    conditions = models.TextField(blank=True, help_text="Conditions of the last decision")
    decided_on = models.DateField(null=True, blank=True)
    next_evaluation = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField(blank=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["retired_at", "next_evaluation"], name="sup_due")]

    def __str__(self) -> str:
        return self.name

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class EvaluationState(models.TextChoices):
    AWAITING = "awaiting", "awaiting decision"
    DECIDED = "decided", "decided"
    WITHDRAWN = "withdrawn", "withdrawn"


class Evaluation(models.Model):
    """An evaluation against the criteria and its recommendation; the decision that
    follows is signed by someone else (Decision)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="evaluations")
    evaluator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField()
    summary = models.TextField(blank=True)
    recommendation = models.CharField(
        max_length=20, choices=[(d.value, d.label) for d in DECISIONS]
    )
    state = models.CharField(
        max_length=20, choices=EvaluationState.choices, default=EvaluationState.AWAITING
    )

    class Meta:
        ordering = ["-evaluated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier"], condition=Q(state="awaiting"), name="sup_one_open_evaluation"
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.supplier.name}, {self.evaluated_at:%d %b %Y}"

    def signature_version(self) -> str:
        # An evaluation has no versions (a later one is a new evaluation): "1", as a
        # document's disposition says, never its database id.
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the decider is shown: the supplier, the scores and the recommendation."""
        return {
            "supplier": self.supplier.name,
            "criticality": self.supplier.criticality,
            "evaluator": self.evaluator.full_name,
            "summary": self.summary,
            "recommendation": self.recommendation,
            "scores": [
                [s.criterion.code, s.score, s.comment]
                for s in self.scores.select_related("criterion").order_by("criterion__code")
            ],
        }


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="sup_one_score"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="sup_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Decision(models.Model):
    """The signed decision on one evaluation: created and signed in one step, never edited."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(max_length=20, choices=[(d.value, d.label) for d in DECISIONS])
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    next_evaluation = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="conditional") | ~Q(conditions=""),
                name="sup_conditions_given",
            ),
            models.CheckConstraint(
                condition=~Q(decision="disqualified") | ~Q(reason=""), name="sup_reason_given"
            ),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.evaluation}: {self.get_decision_display()}"

    def signature_version(self) -> str:
        # A decision is never edited: it has one version.
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the signature binds: the decision and the evaluation it decides."""
        return {
            "evaluation": self.evaluation.signature_content(),
            "decision": self.decision,
            "conditions": self.conditions,
            "reason": self.reason,
            "decided_on": self.decided_on.isoformat(),
            "next_evaluation": self.next_evaluation.isoformat() if self.next_evaluation else None,
        }


class CertificateKind(models.TextChoices):
    ISO_13485 = "iso13485", "ISO 13485"
    ISO_9001 = "iso9001", "ISO 9001"
    OTHER = "other", "other"


class SupplierCertificate(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="What an “other” one is")
    number = models.CharField(max_length=100)
    issuer = models.CharField(max_length=200)
    expires_on = models.DateField()
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["retired_at", "expires_on"], name="sup_cert_expiry")]

    def __str__(self) -> str:
        name = (
            self.title
            if self.kind == CertificateKind.OTHER and self.title
            else self.get_kind_display()
        )
        return f"{name} certificate {self.number} of {self.supplier.name}"

    def expired(self, today: dt.date) -> bool:
        return self.expires_on < today


class Source(models.TextChoices):
    MANUAL = "manual", "entered by hand"
    NONCONFORMANCE = "nonconformance", "from nonconformances"
    COMPLAINT = "complaint", "from complaints"


class PerformanceRecord(models.Model):
    """Delivery and quality over one period (7.4.1: monitoring of supplier performance)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="performance")
    period_start = models.DateField()
    period_end = models.DateField()
    deliveries_on_time = models.PositiveIntegerField(default=0)
    deliveries_total = models.PositiveIntegerField(default=0)
    lots_received = models.PositiveIntegerField(default=0)
    lots_rejected = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="sup_perf_period"
            ),
            models.CheckConstraint(
                condition=Q(deliveries_on_time__lte=models.F("deliveries_total")),
                name="sup_perf_deliveries",
            ),
            models.CheckConstraint(
                condition=Q(lots_rejected__lte=models.F("lots_received")), name="sup_perf_lots"
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.period_start:%d %b %Y}–{self.period_end:%d %b %Y}"
        return f"Performance of {self.supplier.name}, {period}"

    @property
    def on_time_rate(self) -> int | None:
        if not self.deliveries_total:
            return None
        return round(100 * self.deliveries_on_time / self.deliveries_total)

    @property
    def rejection_rate(self) -> int | None:
        if not self.lots_received:
            return None
        return round(100 * self.lots_rejected / self.lots_received)


class OutsourcedProcess(models.Model):
    """A process (or part of one) a partner performs (4.1.5), under a quality agreement;
    where design is outsourced each party keeps its own QMS, and the interface rows say
    which one governs each activity and who tells whom what, by when."""

    partner = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="outsourced")
    title = models.CharField(max_length=200, help_text="What is outsourced")
    process = models.ForeignKey(
        "qms.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement_review_on = models.DateField(null=True, blank=True)
    agreement_expires_on = models.DateField(null=True, blank=True)
    partner_certificate = models.ForeignKey(
        SupplierCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contacts_ours = models.TextField(blank=True)
    contacts_partner = models.TextField(blank=True)
    exchange = models.TextField(blank=True, help_text="How documents and changes are exchanged")
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (outsourced to {self.partner.name})"


class Governing(models.TextChoices):
    OURS = "ours", "our QMS"
    PARTNER = "partner", "the partner's QMS"


class InterfaceActivity(models.Model):
    outsourced = models.ForeignKey(
        OutsourcedProcess, on_delete=models.PROTECT, related_name="activities"
    )
    activity = models.CharField(max_length=200)
    governed_by = models.CharField(max_length=10, choices=Governing.choices)
    notes = models.TextField(blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_governed_by_display()}"


class DutyKind(models.TextChoices):
    CHANGES = "changes", "changes"
    NONCONFORMITIES = "nonconformities", "nonconformities"
    VIGILANCE = "vigilance", "vigilance (incidents, field safety)"
    OTHER = "other", "other"


class Direction(models.TextChoices):
    TO_US = "to_us", "partner tells us"
    TO_PARTNER = "to_partner", "we tell the partner"


class NotificationDuty(models.Model):
    outsourced = models.ForeignKey(
        OutsourcedProcess, on_delete=models.PROTECT, related_name="duties"
    )
    what = models.CharField(max_length=20, choices=DutyKind.choices)
    description = models.CharField(max_length=200, blank=True)
    days = models.PositiveSmallIntegerField(help_text="Time limit in days")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} within {self.days} days ({self.get_direction_display()})"


class ReminderSent(models.Model):
    """So a reminder goes once: what it was about and when it went."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
