"""Verification evidence from the team's CI: JUnit XML runs and their test cases, each
linked to the verification item named in it, at the item's version then (a result for
an older version is stale and does not count)."""

from __future__ import annotations

from django.db import models

from openqms.core.models import User


class TestRun(models.Model):
    __test__ = False  # a model, not a pytest test class

    project = models.ForeignKey(
        "design.DesignProject", on_delete=models.PROTECT, related_name="test_runs"
    )
    baseline = models.ForeignKey(
        "design.Baseline", on_delete=models.PROTECT, related_name="test_runs"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    commit = models.CharField(max_length=100, blank=True)
    build = models.CharField(max_length=200, blank=True)
    ingested_at = models.DateTimeField()
    ingested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    cases = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    # Counts of the run (passed, failed, skipped, unlinked) and the IDs its cases named
    # that are no verification or validation item of the project ([[case, id], …]).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-ingested_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.commit or 'no commit'})"


class Outcome(models.TextChoices):
    PASSED = "passed", "passed"
    FAILED = "failed", "failed"
    ERROR = "error", "error"
    SKIPPED = "skipped", "skipped"


class TestResult(models.Model):
    __test__ = False  # a model, not a pytest test class

    run = models.ForeignKey(TestRun, on_delete=models.CASCADE, related_name="results")
    # None for a case naming no item of the project (kept so the run page lists it).
    item = models.ForeignKey(
        "design.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    item_version = models.PositiveIntegerField(null=True, blank=True)
    case = models.CharField(max_length=500)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    duration = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["item", "item_version"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.outcome}"
