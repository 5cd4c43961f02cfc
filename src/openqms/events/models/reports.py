"""Post-market surveillance records (UK MDR 2002 Part 4A, as added by SI 2024/1368):
each device's PMS plan (a controlled document, with the history of which one was the
plan), its periodic reports (PSUR for Class IIa/IIb/III, PMSR for Class I) scheduled from
its class, MHRA requests for PMS documents with their 3-working-day deadline, and the
England and Wales bank holidays that deadline counts (configuration rows)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import User
from openqms.events.models.base import EventRecord


class PmsPlan(models.Model):
    """Which controlled document is (was) a device's PMS plan. A new link ends the
    previous one (`replaced_at`), which stays on record."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["device", "-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(replaced_at__isnull=True),
                name="events_one_pms_plan",
            )
        ]

    def __str__(self) -> str:
        return f"PMS plan of {self.device}: {self.document}"


class PmsReportType(models.TextChoices):
    PSUR = "psur", "periodic safety update report (PSUR)"
    PMSR = "pmsr", "post-market surveillance report (PMSR)"


class PmsReportState(models.TextChoices):
    SCHEDULED = "scheduled", "scheduled"
    IN_PREPARATION = "in_preparation", "in preparation"
    COMPLETED = "completed", "completed"


class PmsReport(EventRecord):
    """A periodic report of a device over a period. The period runs from `period_start`
    (inclusive) to `period_end` (exclusive: the next report's period starts there);
    the report is due on `period_end` (events/schedule.py)."""

    KIND = "pms_report"

    report_type = models.CharField(max_length=10, choices=PmsReportType.choices)
    state = models.CharField(
        max_length=20, choices=PmsReportState.choices, default=PmsReportState.SCHEDULED
    )
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    # The report itself, written and approved as a controlled document.
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusions = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_pms_open"),
            models.Index(fields=["device", "period_end"]),
            models.Index(fields=["state", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "period_start"], name="events_one_pms_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lt=models.F("period_end")),
                name="events_pms_report_period",
            ),
        ]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the completion signature covers: which report, of what, for which period,
        the controlled document that is the report, and its conclusions."""
        return {
            "number": self.number,
            "report_type": self.report_type,
            "device": self.device_id,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "document": self.document_id,
            "conclusions": self.conclusions,
        }

    def export_row(self) -> dict[str, Any]:
        return super().export_row() | {
            "report_type": self.get_report_type_display(),
            "period_start": self.period_start,
            "period_end": self.period_end,
            "due_on": self.due_on,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "Periodic report",
                [
                    ("Type", self.get_report_type_display()),
                    ("Period", f"{self.period_start:%d %b %Y} – {self.period_end:%d %b %Y}"),
                    ("Due", self.due_on),
                    ("Report document", str(self.document) if self.document_id else "—"),
                    ("Conclusions", self.conclusions or "—"),
                ],
            ),
        ]


class PmsReminder(models.Model):
    """A reminder sent about a report (60, 30, 7 days before it is due, or overdue): the
    unique key makes each one go once, whichever run of the job claims it first."""

    report = models.ForeignKey(PmsReport, on_delete=models.PROTECT, related_name="+")
    window = models.CharField(max_length=10)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "window"], name="events_one_pms_reminder")
        ]

    def __str__(self) -> str:
        return f"Reminder {self.window} of report {self.report_id}"


class BankHoliday(models.Model):
    """A bank holiday in England and Wales: a day that is not a working day when an MHRA
    deadline is counted (events/workdays.py). Seeded from the `holidays` package,
    editable (a proclaimed extra holiday is a new row)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%a %d %b %Y})"


class MhraRequestState(models.TextChoices):
    OPEN = "open", "awaiting our answer"
    ANSWERED = "answered", "answered"


class MhraRequest(EventRecord):
    """A request from the MHRA for PMS documents (the PMS plan, a PSUR or PMSR…), to be
    answered within 3 working days of receipt (UK MDR 2002 Part 4A)."""

    KIND = "mhra_request"

    state = models.CharField(
        max_length=20, choices=MhraRequestState.choices, default=MhraRequestState.OPEN
    )
    received_at = models.DateTimeField()
    asked = models.TextField()
    mhra_reference = models.CharField(max_length=100, blank=True)
    # The end of the third working day after receipt (UK midnight), kept as computed on
    # receipt so a later holiday edit does not move a deadline already given.
    deadline_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    sent = models.TextField(blank=True)
    on_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_req_open"),
            models.Index(fields=["state", "deadline_at"]),
        ]

    def export_row(self) -> dict[str, Any]:
        return super().export_row() | {
            "received_at": self.received_at,
            "deadline_at": self.deadline_at,
            "answered_at": self.answered_at,
            "on_time": self.on_time,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "MHRA request",
                [
                    ("Received", self.received_at),
                    ("MHRA reference", self.mhra_reference or "—"),
                    ("What was asked", self.asked),
                    ("Deadline", self.deadline_at),
                    ("Answered", self.answered_at or "not yet"),
                    ("What was sent", self.sent or "—"),
                    ("On time", {True: "yes", False: "no", None: "—"}[self.on_time]),
                ],
            ),
        ]
