"""Certificates' event types and the record that a reminder went (so it goes once).

The Certificate itself is part of the frame (models/frame.py): devices and scope point
at it."""

from __future__ import annotations

from django.db import models

from openqms.core.registry import event_types

for _code, _label in [
    ("qms.certificate.added", "Certificate added"),
    ("qms.certificate.edited", "Certificate edited"),
    ("qms.certificate.withdrawn", "Certificate withdrawn"),
]:
    event_types.register(_code, _label)


class CertificateReminder(models.Model):
    """One reminder email about one certificate: its kind ("expiry", "surveillance",
    "recertification"), the date it was about and the threshold crossed (180, 90, 30 days;
    0 for "expired"). Unique, so two ticks at once send it once; a changed date (a
    renewed certificate) starts a new series."""

    certificate = models.ForeignKey(
        "qms.Certificate", on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(max_length=20)
    about = models.DateField()
    days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind", "about", "days"], name="qms_cert_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.about} {self.days}"
