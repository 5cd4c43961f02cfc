"""GB vigilance clocks as dated configuration (UK MDR 2002 Part 4A, in force 16 June
2025): how many days after the day of awareness each category of serious incident must
be reported. A change in the law is a new row with its own effective date; a complaint
is held to the rule in force on its day of awareness (events/clocks.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

from openqms.core.models import User
from openqms.events.models.base import EventRecord
from openqms.events.models.complaints import Category


class ClockRule(models.Model):
    category = models.CharField(max_length=30, choices=Category.choices)
    days = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    legal_reference = models.CharField(max_length=300)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="events_one_rule_per_day"
            ),
            models.CheckConstraint(condition=models.Q(days__gt=0), name="events_rule_days"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_category_display()}: {self.days} days (from {self.effective_from:%d %b %Y})"
        )


class EscalationPoint(models.Model):
    """A point of a running clock at which the QA leads (REPORT holders) and the device's
    UK Responsible Person are emailed: either a share of the time gone (`percent_gone`:
    0 when the decision is signed, 50 at half time) or a number of hours before the
    deadline (`hours_left`: 48, 24; 0 is the deadline itself, i.e. overdue). Seeded
    configuration (migration 0003); each point is sent once per decision."""

    code = models.CharField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    percent_gone = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_left = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_gone__isnull=True) ^ models.Q(hours_left__isnull=True),
                name="events_escalation_one_measure",
            )
        ]

    def __str__(self) -> str:
        return self.label


class EscalationSent(models.Model):
    """One escalation point of one complaint's clock (its deadline), claimed once (the
    unique key makes a second run, or a parallel one, skip it): a decision re-signed
    with the same deadline does not send the points again; one with a new deadline
    does. `decision` is the decision in force when it was sent. `skipped`: passed while
    an earlier point was due in the same run, so only the latest was emailed."""

    decision = models.ForeignKey(
        "events.ReportabilityDecision", on_delete=models.PROTECT, related_name="+"
    )
    # Null only on rows from before the key was the complaint and deadline (none since).
    complaint = models.ForeignKey(
        "events.Complaint", on_delete=models.PROTECT, related_name="+", null=True
    )
    deadline_at = models.DateTimeField(null=True)
    point = models.ForeignKey(EscalationPoint, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    skipped = models.BooleanField(default=False)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline_at", "point"], name="events_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point} of decision {self.decision_id}"


class ReportType(models.TextChoices):
    INITIAL = "initial", "initial"
    FOLLOW_UP = "follow_up", "follow-up"
    FINAL = "final", "final"


class ReportState(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted to the MHRA"


class IncidentReport(EventRecord):
    """A manufacturer incident report to the MHRA (UK MDR 2002 Part 4A): initial,
    follow-up or final, numbered in sequence per complaint; a final report ends the
    series. Drafted and edited freely, then submitted in one signed step (meaning
    "submitted to the MHRA") recording the MHRA reference, when it went and who sent it;
    whether it went in on time is computed then and kept (`on_time`)."""

    KIND = "incident_report"

    # The complaint is the report's subject (and its clock); the link graph also shows it
    # through a core link ("reported in"), written when the report is created.
    complaint = models.ForeignKey(
        "events.Complaint", on_delete=models.PROTECT, related_name="incident_reports"
    )
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    report_type = models.CharField(max_length=20, choices=ReportType.choices)
    sequence = models.PositiveSmallIntegerField()
    # Device identification, copied from the device register when drafted, then edited.
    device_name = models.CharField(max_length=200, blank=True)
    device_model = models.CharField(max_length=100, blank=True)
    device_class = models.CharField(max_length=100, blank=True)
    gmdn_code = models.CharField(max_length=20, blank=True)
    basic_udi_di = models.CharField(max_length=200, blank=True)
    udi_di = models.CharField(max_length=200, blank=True)
    serial = models.CharField(max_length=100, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    software_version = models.CharField(max_length=100, blank=True)
    # The incident.
    event_description = models.TextField()
    incident_date = models.DateField(null=True, blank=True)
    awareness_at = models.DateTimeField()
    # Health data (module.health_data): shown only to roles granted core.health_data:read.
    patient_outcome = models.TextField(blank=True)
    investigation = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    actions_taken = models.TextField(blank=True)
    actions_planned = models.TextField(blank=True)
    manufacturer_comments = models.TextField(blank=True)
    # Follow-up and final reports: the date the QA lead agreed with the MHRA (may be
    # empty); an initial report is held to its decision's deadline instead.
    due_at = models.DateTimeField(null=True, blank=True)
    # Submission (set by the signed step).
    mhra_reference = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline_at = models.DateTimeField(null=True, blank=True)  # what on_time was judged by
    on_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_mir_open"),
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["device", "opened_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "sequence"], name="events_report_sequence"
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(report_type="initial"),
                name="events_one_initial_report",
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(report_type="final"),
                name="events_one_final_report",
            ),
        ]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the submitter signs: the report as sent, with the MHRA reference and the
        date sent (set by the signed step itself) and the patient outcome's hash."""
        return {
            "number": self.number,
            "complaint": self.complaint.number,
            "report_type": self.report_type,
            "sequence": self.sequence,
            **{name: getattr(self, name) for name in REPORT_TEXT},
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "awareness_at": self.awareness_at.isoformat(),
            "mhra_reference": self.mhra_reference,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            # Health data: signed as its hash, so the signed content never shows it.
            "patient_outcome_sha256": hashlib.sha256(
                self.patient_outcome.encode("utf-8")
            ).hexdigest(),
        }

    def export_row(self) -> dict[str, Any]:
        return {
            **super().export_row(),
            "complaint": self.complaint.number,
            "report_type": self.get_report_type_display(),
            "sequence": self.sequence,
            "mhra_reference": self.mhra_reference,
            "submitted_at": self.submitted_at,
            "on_time": self.on_time,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "Report",
                [
                    ("Complaint", self.complaint.number),
                    ("Type", f"{self.get_report_type_display()} (no. {self.sequence})"),
                    ("MHRA reference", self.mhra_reference or "—"),
                    ("Submitted", self.submitted_at or "not yet"),
                    ("On time", {True: "yes", False: "no", None: "—"}[self.on_time]),
                ],
            ),
        ]


# The report's own text, in the order the MHRA form asks for it (patient_outcome is
# health data and is added by whoever shows it, through core.confidentiality).
REPORT_TEXT = (
    "device_name",
    "device_model",
    "device_class",
    "gmdn_code",
    "basic_udi_di",
    "udi_di",
    "serial",
    "lot",
    "software_version",
    "event_description",
    "investigation",
    "root_cause",
    "actions_taken",
    "actions_planned",
    "manufacturer_comments",
)
