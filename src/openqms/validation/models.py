"""A validation report as a record: what `openqms validate` found, its files (JSON and
PDF, kept in the content-addressed file store), and the QA lead's approval."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

from openqms.core.files import open_stored
from openqms.core.models import StoredFile


class ReportState(models.TextChoices):
    AWAITING = "awaiting_approval", "awaiting approval"
    APPROVED = "approved", "approved"


class ValidationReport(models.Model):
    number = models.CharField(max_length=20, unique=True)  # VR-2026-0001
    version = models.CharField(max_length=40)  # the OpenQMS version validated
    engine = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    passed = models.BooleanField()
    iq_passed = models.BooleanField()
    oq_passed = models.BooleanField()
    counts = models.JSONField(default=dict)
    json_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    pdf_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=20, choices=ReportState.choices, default=ReportState.AWAITING
    )
    compared_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Validation report {self.number}"

    def signature_version(self) -> str:
        return "1"  # a stored report never changes: there is one version to sign

    def signature_content(self) -> dict[str, Any]:
        """What the QA lead signs: the report's files by their SHA-256, and the verdict
        and counts the page shows (21 CFR 11.70: what was shown is what is bound)."""
        return {
            "number": self.number,
            "version": self.version,
            "engine": self.engine,
            "passed": self.passed,
            "iq_passed": self.iq_passed,
            "oq_passed": self.oq_passed,
            "counts": self.counts,
            "json_sha256": self.json_file.sha256,
            "pdf_sha256": self.pdf_file.sha256,
        }

    def changed_files(self) -> list[str]:
        """The report's files whose bytes in the store no longer have the SHA-256
        recorded when it was stored ([] when both are intact)."""
        changed = []
        for label, stored in (("JSON", self.json_file), ("PDF", self.pdf_file)):
            digest = hashlib.sha256()
            with open_stored(stored) as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != stored.sha256:
                changed.append(label)
        return changed
