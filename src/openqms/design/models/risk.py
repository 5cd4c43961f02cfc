"""ISO 14971 risk management: one risk file per device, its acceptability criteria as
configuration (severity and probability scales, the matrix of regions), hazards →
hazardous situations (sequence of events, situation, harm) estimated before and after
controls, the risk control measures, residual risk evaluation, the signed risk
management report, and the risk reviews that production and post-production
information opens (ISO 14971 clause 10).

Each hazardous situation and each control is also a design item (type "risk" and
"risk_control") in the device's design project, when it has one, so the trace engine
finds "risks without a verified control"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from openqms.core.models import User
from openqms.documents.models import Revision, RevisionState


class Region(models.TextChoices):
    ACCEPTABLE = "acceptable", "acceptable"
    ALARP = "alarp", "reduce as far as possible"
    UNACCEPTABLE = "unacceptable", "unacceptable"


class ReportState(models.TextChoices):
    OPEN = "open", "report not signed"
    SIGNED = "signed", "report signed"


class RiskFile(models.Model):
    """The risk management file of one device (ISO 14971 4.5)."""

    device = models.OneToOneField("devices.Device", on_delete=models.PROTECT, related_name="+")
    # The device as named when the file was opened: the report's signature covers this,
    # so renaming the device later does not make the signature read as altered.
    device_name = models.CharField(max_length=300, blank=True)
    # The risk management plan, a controlled document (ISO 14971 4.4).
    plan = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overall_residual_risk = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.OPEN)
    # The risk management report (ISO 14971 clause 9), signed with "risk_report_signed".
    report_conclusion = models.TextField(blank=True)
    report_residual_acceptable = models.BooleanField(null=True)
    report_plan_followed = models.BooleanField(null=True)
    report_signed_at = models.DateTimeField(null=True, blank=True)
    # The revision the last signature covered: after a later change the report is open
    # again and the page says which revision was signed.
    report_signed_revision = models.PositiveIntegerField(null=True, blank=True)
    # Goes up with every change of the file's content, so a signature names what it saw.
    revision = models.PositiveIntegerField(default=1)
    # What the signer of the report was shown (report_facts) as it stood when signed: the
    # signature covers these, not the counts as they are later.
    report_facts_signed = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Risk file of {self.device}"

    def get_absolute_url(self) -> str:
        return reverse("design:risk-file", args=[self.pk])

    def signature_version(self) -> str:
        return str(self.revision)

    def signature_content(self) -> dict:
        # While the report is open the signer signs over the facts as they are now (the
        # dialog shows them, its hash covers them); once signed, over the facts stored. A
        # report signed before the facts were part of what is signed (design 0012) keeps
        # the content it was signed over, so its signature still verifies.
        content: dict = {
            "device": self.device_name,
            "revision": self.revision,
            "overall_residual_risk": self.overall_residual_risk,
            "conclusion": self.report_conclusion,
            "residual_acceptable": self.report_residual_acceptable,
            "plan_followed": self.report_plan_followed,
        }
        if self.state != ReportState.SIGNED:
            content["facts"] = self.report_facts()
        elif self.report_facts_signed:
            content["facts"] = self.report_facts_signed
        return content

    def report_facts(self) -> dict:
        """What the signer of the risk management report signs over (ISO 14971 clause 9):
        the plan and its revision in force, the situations by region before and after
        controls, and what is still open. Retired rows are left out."""
        situations = HazardousSituation.objects.filter(file_id=self.pk, retired_at__isnull=True)
        before = dict.fromkeys(Region.values, 0)
        after = dict.fromkeys([*Region.values, "not estimated"], 0)
        for region, residual in situations.values_list("region", "residual_region"):
            before[region] += 1
            after[residual or "not estimated"] += 1
        controls = ControlMeasure.objects.filter(
            situation__file_id=self.pk, situation__retired_at__isnull=True, retired_at__isnull=True
        )
        verified = Q(item__isnull=False) & ~Q(item__gaps__rule="control_without_verification")
        return {
            "plan": self._plan_in_force(),
            "situations_before": before,
            "situations_after": after,
            "unevaluated": situations.filter(evaluated_at__isnull=True).count(),
            "open_reviews": RiskReview.objects.filter(file_id=self.pk, closed_at=None).count(),
            "controls_without_verification": controls.exclude(verified).count(),
        }

    def _plan_in_force(self) -> str | None:
        if self.plan_id is None:
            return None
        revision = (
            Revision.objects.filter(document_id=self.plan_id, state=RevisionState.EFFECTIVE)
            .select_related("document")
            .first()
        )
        if revision is None:
            return f"{self.plan.number if self.plan else '?'} (no revision in force)"
        return f"{revision.document.number} revision {revision.label}"


class SeverityLevel(models.Model):
    """A severity of harm on the file's scale; rank 1 is the least severe."""

    file = models.ForeignKey(RiskFile, on_delete=models.CASCADE, related_name="severities")
    rank = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["file", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["file", "rank"], name="design_severity_rank_once")
        ]

    def __str__(self) -> str:
        return f"S{self.rank} {self.name}"


class ProbabilityLevel(models.Model):
    """A probability of occurrence on the file's scale; rank 1 is the least likely."""

    file = models.ForeignKey(RiskFile, on_delete=models.CASCADE, related_name="probabilities")
    rank = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["file", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["file", "rank"], name="design_probability_rank_once")
        ]

    def __str__(self) -> str:
        return f"P{self.rank} {self.name}"


class MatrixCell(models.Model):
    """The region of one severity × probability pair (ISO 14971 4.4 d, 5.5)."""

    file = models.ForeignKey(RiskFile, on_delete=models.CASCADE, related_name="cells")
    severity = models.PositiveSmallIntegerField()
    probability = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=15, choices=Region.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["file", "severity", "probability"], name="design_matrix_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"S{self.severity} × P{self.probability}: {self.get_region_display()}"


class Hazard(models.Model):
    """A potential source of harm (ISO 14971 5.4), numbered HAZ-nnn in its file."""

    file = models.ForeignKey(RiskFile, on_delete=models.PROTECT, related_name="hazards")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    # Retired (ISO 14971 keeps the record: shown as retired, left out of the FMEA, the
    # counts and the report); the reason is in the audit event too.
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["file", "number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="design_hazard_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("design:risk-hazard", args=[self.pk])

    @property
    def code(self) -> str:
        return f"HAZ-{self.number:03d}"


class HazardousSituation(models.Model):
    """Hazard → sequence of events → hazardous situation → harm, with its estimates
    before and after the controls (ISO 14971 5.4, 5.5, 7.3) and its evaluation."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="situations")
    file = models.ForeignKey(RiskFile, on_delete=models.PROTECT, related_name="situations")
    number = models.PositiveIntegerField()
    sequence = models.TextField()
    situation = models.TextField()
    harm = models.CharField(max_length=300)
    # Before controls. P1: the hazardous situation occurs; P2: it leads to harm. With
    # both, `probability` is combined by risk_matrix.combine; else it is given alone.
    severity = models.PositiveSmallIntegerField()
    p1 = models.PositiveSmallIntegerField(null=True, blank=True)
    p2 = models.PositiveSmallIntegerField(null=True, blank=True)
    probability = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=15, choices=Region.choices)
    # After controls (residual risk); empty until estimated.
    residual_severity = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_p1 = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_p2 = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_region = models.CharField(max_length=15, choices=Region.choices, blank=True)
    # Residual risk evaluation (ISO 14971 7.3, 7.4).
    benefit_risk = models.TextField(blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        "design.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Retired (ISO 14971 keeps the record: shown as retired, left out of the FMEA, the
    # counts and the report); the reason is in the audit event too.
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["file", "number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="design_situation_number_once")
        ]
        indexes = [models.Index(fields=["file", "evaluated_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.harm}"

    def get_absolute_url(self) -> str:
        return reverse("design:risk-hazard", args=[self.hazard_id]) + f"#{self.code}"

    @property
    def code(self) -> str:
        return f"HS-{self.number:03d}"


class ControlKind(models.TextChoices):
    # ISO 14971 7.1: in this order of priority.
    INHERENT = "inherent", "inherent safety by design"
    PROTECTIVE = "protective", "protective measure"
    INFORMATION = "information", "information for safety"


class ControlMeasure(models.Model):
    """A risk control measure of one hazardous situation (ISO 14971 7.1, 7.2)."""

    situation = models.ForeignKey(
        HazardousSituation, on_delete=models.PROTECT, related_name="controls"
    )
    kind = models.CharField(max_length=15, choices=ControlKind.choices)
    description = models.TextField()
    item = models.ForeignKey(
        "design.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Retired (ISO 14971 keeps the record: shown as retired, left out of the FMEA, the
    # counts and the report); the reason is in the audit event too.
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["situation", "pk"]

    def __str__(self) -> str:
        uid = self.item.uid if self.item_id and self.item else f"control {self.pk}"
        return f"{uid} ({self.get_kind_display()})"


class RiskReviewOutcome(models.TextChoices):
    UNCHANGED = "unchanged", "no new hazard, estimates unchanged"
    UPDATED = "updated", "risk file updated"


class RiskReview(models.Model):
    """A review of the risk file that production or post-production information opened
    (a complaint, an incident report, a trend report, a CAPA; ISO 14971 10.3, 10.4)."""

    file = models.ForeignKey(RiskFile, on_delete=models.PROTECT, related_name="reviews")
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=40)
    source_label = models.CharField(max_length=250)
    opened_at = models.DateTimeField()
    outcome = models.CharField(max_length=15, choices=RiskReviewOutcome.choices, blank=True)
    note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hazards = models.ManyToManyField(Hazard, blank=True, related_name="reviews")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "source_type", "source_id"], name="design_risk_review_once"
            )
        ]
        indexes = [models.Index(fields=["closed_at", "file"])]

    def __str__(self) -> str:
        return f"Risk review: {self.source_label}"

    def get_absolute_url(self) -> str:
        return reverse("design:risk-review", args=[self.pk])
