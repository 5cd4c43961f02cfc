"""Post-market surveillance data shared by trends, periodic reports and the PMS pack:
sales or exposure figures entered per device and period (the denominator of every
rate). Withdrawn with a reason, never deleted."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openqms.core.models import User


class ExposureFigure(models.Model):
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    # Units placed on the market (sold or distributed) in the period, and, where known,
    # units or patients in use (the exposure a rate is counted against).
    units_sold = models.PositiveIntegerField()
    units_in_use = models.PositiveIntegerField(null=True, blank=True)
    market = models.CharField(max_length=5, blank=True, help_text="GB, NI, EU… (blank: all)")
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["device", "period_start", "pk"]
        indexes = [models.Index(fields=["device", "period_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="events_exposure_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.units_sold} units, {self.period_start:%d %b %Y}–{self.period_end:%d %b %Y}"
