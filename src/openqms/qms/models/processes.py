"""How a process is monitored (ISO 13485 4.1.3 b, d; 8.2.5): each KPI says what is
measured, the target, how it is measured and how often. A KPI that no longer applies is
retired (kept, dated), never deleted, so last year's management review still reads."""

from __future__ import annotations

from django.db import models

from openqms.qms.models.frame import Process


class ProcessKPI(models.Model):
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="kpis")
    name = models.CharField(max_length=200)
    target = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=300, blank=True, help_text="How it is measured")
    frequency = models.CharField(max_length=100, blank=True, help_text="How often")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "position", "pk"]
        verbose_name = "process KPI"

    def __str__(self) -> str:
        return self.name

    def as_line(self) -> str:
        """The KPI as one line of the edit form (and of the audit event)."""
        return " | ".join([self.name, self.target, self.method, self.frequency]).rstrip(" |")
