"""GB vigilance clocks as dated configuration (UK MDR 2002 Part 4A, in force 16 June
2025): how many days after the day of awareness each category of serious incident must
be reported. A change in the law is a new row with its own effective date; a complaint
is held to the rule in force on its day of awareness (events/clocks.py)."""

from __future__ import annotations

from django.db import models

from openqms.core.models import User
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
