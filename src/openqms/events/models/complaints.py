"""Feedback, complaints and reportability decisions (ISO 13485 8.2.1, 8.2.2; UK MDR
2002 Part 4A).

Feedback from any source is logged, then a person classifies it as a complaint or not,
with the reason. A complaint's awareness date-time (when the manufacturer became aware)
starts every vigilance clock. Whether it is a reportable serious incident is a signed
`ReportabilityDecision`; a later decision supersedes it (a new signed record, never an
edit), and the vigilance clock follows the decision in force."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import User
from openqms.events.models.base import EventRecord


class Source(models.TextChoices):
    CUSTOMER = "customer", "customer"
    USER = "user", "user or patient"
    CLINICIAN = "clinician", "healthcare professional"
    LITERATURE = "literature", "literature"
    SOCIAL = "social_media", "social media"
    SERVICE = "service", "service or field engineer"
    SALES = "sales", "sales"
    DISTRIBUTOR = "distributor", "distributor or importer"
    REGULATOR = "regulator", "regulator (MHRA)"
    OTHER = "other", "other"


class Classification(models.TextChoices):
    PENDING = "pending", "not yet classified"
    COMPLAINT = "complaint", "complaint"
    NOT_COMPLAINT = "not_complaint", "not a complaint"


class Feedback(EventRecord):
    """Feedback as received (8.2.1): what was said, by whom, through which source."""

    KIND = "feedback"

    source = models.CharField(max_length=20, choices=Source.choices)
    received_at = models.DateTimeField()
    reporter = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.PENDING
    )
    classification_reason = models.TextField(blank=True)
    classified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    classified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_fb_open"),
            models.Index(fields=["classification", "received_at"]),
        ]


class IncidentType(models.TextChoices):
    """What the complaint describes, for trend reporting (UK MDR 2002 Part 4A trend
    reports count non-serious incidents and expected side effects)."""

    NONE = "none", "no incident (e.g. quality or usability only)"
    NON_SERIOUS = "non_serious_incident", "non-serious incident"
    SIDE_EFFECT = "expected_side_effect", "expected undesirable side effect"
    SERIOUS = "serious_incident", "serious incident"


class ComplaintState(models.TextChoices):
    OPEN = "open", "open"
    CLOSED = "closed", "closed"


class Complaint(EventRecord):
    """A complaint (8.2.2): feedback that alleges a deficiency of a device's identity,
    quality, durability, reliability, usability, safety or performance."""

    KIND = "complaint"

    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="complaint")
    state = models.CharField(
        max_length=20, choices=ComplaintState.choices, default=ComplaintState.OPEN
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    reporter = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField()
    # When the manufacturer became aware: the start of every vigilance clock.
    awareness_at = models.DateTimeField()
    model = models.CharField(max_length=100, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    serial = models.CharField(max_length=100, blank=True)
    udi = models.CharField(max_length=200, blank=True)
    what_happened = models.TextField()
    incident_type = models.CharField(
        max_length=30, choices=IncidentType.choices, default=IncidentType.NONE
    )
    patient_involved = models.BooleanField(default=False)
    # Health data (module.health_data): shown only to roles granted core.health_data:read.
    patient_details = models.TextField(blank=True)
    patient_outcome = models.TextField(blank=True)
    investigation = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    capa_needed = models.BooleanField(null=True, blank=True)
    capa_reason = models.TextField(blank=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-awareness_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_cmp_open"),
            models.Index(fields=["state", "awareness_at"]),
            models.Index(fields=["device", "awareness_at"]),
            models.Index(fields=["device", "incident_type", "awareness_at"]),
        ]

    def export_row(self) -> dict[str, Any]:
        """The list's export row; health data (patient details, outcome) never."""
        return super().export_row() | {
            "source": self.get_source_display(),
            "received_at": self.received_at,
            "awareness_at": self.awareness_at,
            "model": self.model,
            "lot": self.lot,
            "serial": self.serial,
            "udi": self.udi,
            "incident_type": self.get_incident_type_display(),
            "patient_involved": self.patient_involved,
            "capa_needed": self.capa_needed,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        """The complaint for its PDF, without health data (a PDF leaves the QMS)."""
        return [
            *super().pdf_sections(),
            (
                "Complaint",
                [
                    ("Source", self.get_source_display()),
                    ("Reporter", self.reporter or "—"),
                    ("Received", self.received_at),
                    ("Became aware", self.awareness_at),
                    (
                        "Model, lot, serial, UDI",
                        " · ".join(v or "—" for v in (self.model, self.lot, self.serial, self.udi)),
                    ),
                    ("Incident type", self.get_incident_type_display()),
                    ("What happened", self.what_happened),
                    ("Patient involved", "yes" if self.patient_involved else "no"),
                ],
            ),
            (
                "Investigation and reply",
                [
                    ("Investigation", self.investigation or "—"),
                    ("Root cause", self.root_cause or "—"),
                    (
                        "CAPA needed",
                        {None: "not answered", True: "yes", False: "no"}[self.capa_needed],
                    ),
                    ("Why", self.capa_reason or "—"),
                    ("Reply", self.reply or "—"),
                    ("Replied", self.replied_at or "—"),
                    ("Closure note", self.closure_note or "—"),
                ],
            ),
        ]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the QA lead's closure signature covers."""
        return {
            "number": self.number,
            "device": self.device_id,
            "awareness_at": self.awareness_at.isoformat(),
            "what_happened": self.what_happened,
            "investigation": self.investigation,
            "root_cause": self.root_cause,
            "capa_needed": self.capa_needed,
            "capa_reason": self.capa_reason,
            "reply": self.reply,
            "closure_note": self.closure_note,
        }


class Category(models.TextChoices):
    """The reportability categories; each reportable one has a clock (ClockRule)."""

    PUBLIC_HEALTH = "public_health_threat", "serious public health threat"
    DEATH_OR_UNANTICIPATED = (
        "death_or_unanticipated",
        "death or unanticipated serious deterioration of health",
    )
    OTHER_SERIOUS = "other_serious", "other serious incident"
    NOT_REPORTABLE = "not_reportable", "not a reportable serious incident"


REPORTABLE = (Category.PUBLIC_HEALTH, Category.DEATH_OR_UNANTICIPATED, Category.OTHER_SERIOUS)


class ReportabilityDecision(models.Model):
    """The signed answer to "is this a reportable serious incident?" (meaning
    reportability_decided). Never edited: a later decision names the one it supersedes,
    and only the newest is in force (database constraint)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="decisions")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    death = models.BooleanField()
    serious_deterioration = models.BooleanField()
    public_health_threat = models.BooleanField()
    unanticipated = models.BooleanField()
    # A serious incident needs the device to have caused or contributed to it, or be
    # suspected of it; the person says so, with the reason.
    device_related = models.BooleanField()
    trend_candidate = models.BooleanField()
    category = models.CharField(max_length=30, choices=Category.choices)
    rationale = models.TextField()
    # The clock rule in force on the day of awareness and the deadline it gives (none
    # when not reportable).
    rule = models.ForeignKey(
        "events.ClockRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    in_force = models.BooleanField(default=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(in_force=True),
                name="events_one_decision_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"Reportability of {self.complaint.number}: {self.get_category_display()}"

    @property
    def reportable(self) -> bool:
        return self.category in REPORTABLE

    def governing_document_ids(self) -> list[int]:
        """The complaint's procedure: whoever signs the decision must be trained on it."""
        return self.complaint.governing_document_ids()

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        return {
            "complaint": self.complaint.number,
            "supersedes": self.supersedes_id,
            "death": self.death,
            "serious_deterioration": self.serious_deterioration,
            "public_health_threat": self.public_health_threat,
            "unanticipated": self.unanticipated,
            "device_related": self.device_related,
            "trend_candidate": self.trend_candidate,
            "category": self.category,
            "rationale": self.rationale,
            "rule": self.rule_id,
            "deadline_at": self.deadline_at.isoformat() if self.deadline_at else None,
        }
