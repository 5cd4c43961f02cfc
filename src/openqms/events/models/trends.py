"""Trend reporting (UK MDR 2002 Part 4A; ISO 13485 8.4): each device's method of
trending non-serious incidents and expected side effects, as its PMS plan states it,
and the trend reports written when an increase is significant.

A changed method is a new row: the one in force has no `superseded_at` (database
constraint), the earlier ones stay as history and trend reports keep a snapshot."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import User
from openqms.events.models.base import EventRecord


class Series(models.TextChoices):
    """What a trend counts: complaints of one incident type (complaints.IncidentType)."""

    NON_SERIOUS = "non_serious_incident", "non-serious incidents"
    SIDE_EFFECT = "expected_side_effect", "expected undesirable side effects"


class Period(models.TextChoices):
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"


class Mode(models.TextChoices):
    BASELINE = "baseline", "baseline rate with control limits (u-chart)"
    THRESHOLD = "threshold", "fixed threshold (rate per 1,000 units)"


class TrendMethod(models.Model):
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+")
    # Where the PMS plan states the method ("PMS plan PLN-004 rev B, section 5.2").
    plan_reference = models.CharField(max_length=300)
    counts_non_serious = models.BooleanField(default=True)
    counts_side_effects = models.BooleanField(default=True)
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.MONTH)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.BASELINE)
    # Baseline: the first `baseline_periods` periods with exposure, or the periods that
    # start between baseline_from and baseline_to.
    baseline_periods = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_from = models.DateField(null=True, blank=True)
    baseline_to = models.DateField(null=True, blank=True)
    k = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("3"))
    # Threshold mode: a signal when the rate per 1,000 units is above this.
    threshold = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["device", "-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(superseded_at__isnull=True),
                name="events_one_trend_method_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"Trend method: {self.summary()}"

    @property
    def series(self) -> list[str]:
        found = []
        if self.counts_non_serious:
            found.append(Series.NON_SERIOUS.value)
        if self.counts_side_effects:
            found.append(Series.SIDE_EFFECT.value)
        return found

    def summary(self) -> str:
        if self.mode == Mode.THRESHOLD:
            rule = f"threshold {self.threshold} per 1,000 units"
        elif self.baseline_periods:
            rule = f"baseline of the first {self.baseline_periods} periods, k = {self.k}"
        else:
            rule = f"baseline {self.baseline_from} to {self.baseline_to}, k = {self.k}"
        return f"per {self.period}, {rule}"

    def snapshot(self) -> dict[str, Any]:
        """The method as a trend report keeps it (the report stays readable if the method
        changes later)."""
        return {
            "plan_reference": self.plan_reference,
            "series": self.series,
            "period": self.period,
            "mode": self.mode,
            "baseline_periods": self.baseline_periods,
            "baseline_from": self.baseline_from.isoformat() if self.baseline_from else None,
            "baseline_to": self.baseline_to.isoformat() if self.baseline_to else None,
            "k": str(self.k),
            "threshold": None if self.threshold is None else str(self.threshold),
        }


class TrendReportState(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted to the MHRA"
    CLOSED = "closed", "closed"


class TrendReport(EventRecord):
    """A significant increase in the rate of one series, reported to the MHRA."""

    KIND = "trend_report"

    state = models.CharField(
        max_length=20, choices=TrendReportState.choices, default=TrendReportState.DRAFT
    )
    series = models.CharField(max_length=30, choices=Series.choices)
    # The periods of the increase: the first day of the first and of the last period.
    increase_from = models.DateField()
    increase_to = models.DateField()
    # Rates per 1,000 units over the increase, and what the method expected.
    observed_rate = models.DecimalField(max_digits=12, decimal_places=4)
    expected_rate = models.DecimalField(max_digits=12, decimal_places=4)
    method = models.ForeignKey(TrendMethod, on_delete=models.PROTECT, related_name="+")
    method_snapshot = models.JSONField(default=dict)
    conclusion = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    mhra_reference = models.CharField(max_length=100, blank=True)
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_tr_open"),
            models.Index(fields=["device", "series", "increase_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(increase_from__lte=models.F("increase_to")),
                name="events_trend_report_periods",
            )
        ]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the submission signature covers (the MHRA reference and date are given
        with it and audited with the step)."""
        return {
            "number": self.number,
            "device": self.device_id,
            "series": self.series,
            "increase_from": self.increase_from.isoformat(),
            "increase_to": self.increase_to.isoformat(),
            "observed_rate": str(self.observed_rate),
            "expected_rate": str(self.expected_rate),
            "method": self.method_snapshot,
            "conclusion": self.conclusion,
            "actions": self.actions,
        }

    def export_row(self) -> dict[str, Any]:
        return super().export_row() | {
            "series": self.get_series_display(),
            "increase_from": self.increase_from,
            "increase_to": self.increase_to,
            "observed_rate_per_1000": self.observed_rate,
            "expected_rate_per_1000": self.expected_rate,
            "mhra_reference": self.mhra_reference,
            "submitted_on": self.submitted_on,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "Trend",
                [
                    ("Series", self.get_series_display()),
                    ("Periods of the increase", f"{self.increase_from} to {self.increase_to}"),
                    ("Observed rate per 1,000 units", self.observed_rate),
                    ("Expected rate per 1,000 units", self.expected_rate),
                    ("Method", self.method_snapshot),
                ],
            ),
            (
                "Report",
                [
                    ("Conclusion", self.conclusion or "—"),
                    ("Actions", self.actions or "—"),
                    ("MHRA reference", self.mhra_reference or "—"),
                    ("Submitted on", self.submitted_on or "—"),
                ],
            ),
        ]
