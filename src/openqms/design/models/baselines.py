"""Baselines: a snapshot of a project's items at their versions and of its links (design
freeze, release), signed by the QA lead (ISO 13485 7.3.7, 7.3.10). The snapshot rows
are written when the baseline is made and never change; design.baselines keeps them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from openqms.core.models import User


class BaselineKind(models.TextChoices):
    DESIGN_FREEZE = "design_freeze", "design freeze"
    RELEASE = "release", "release"
    OTHER = "other", "other"


class BaselineState(models.TextChoices):
    OPEN = "open", "open (collecting evidence)"
    SIGNED = "signed", "signed"


class Baseline(models.Model):
    project = models.ForeignKey(
        "design.DesignProject", on_delete=models.PROTECT, related_name="baselines"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=BaselineKind.choices)
    description = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=BaselineState.choices, default=BaselineState.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    # SHA-256 over the snapshot's items (uid, type, version, text) and links, in order.
    digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="design_baseline_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("design:baseline", args=[self.pk])

    def signature_version(self) -> str:
        return str(self.version)

    def signature_content(self) -> dict:
        """What the QA lead signs: the name and the digest of every item and link."""
        return {
            "project": self.project.name,
            "name": self.name,
            "kind": self.kind,
            "digest": self.digest,
        }


class BaselineItem(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("design.Item", on_delete=models.PROTECT, related_name="+")
    uid = models.CharField(max_length=100)
    type_code = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["baseline", "uid"], name="design_baseline_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.uid} v{self.version}"


class BaselineLink(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="links")
    source_uid = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    target_uid = models.CharField(max_length=100)
    suspect = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.source_uid} {self.kind} {self.target_uid}"
