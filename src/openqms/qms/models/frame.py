"""The parts of the QMS frame that other records point at.

Approved bodies and the UK Responsible Person (UK MDR 2002), the organisation's sites,
device families (what a QMS scope covers and what devices belong to) and the processes
of the QMS (ISO 13485 4.1.2). None is ever deleted: each is retired with a reason, and
records that named it keep naming it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openqms.core.models import User
from openqms.core.registry import event_types

for _code, _label in [
    ("qms.body.saved", "Approved or notified body saved"),
    ("qms.body.retired", "Approved or notified body retired"),
    ("qms.responsible_person.saved", "UK Responsible Person saved"),
    ("qms.responsible_person.retired", "UK Responsible Person retired"),
    ("qms.site.saved", "Site saved"),
    ("qms.site.retired", "Site retired"),
    ("qms.family.saved", "Device family saved"),
    ("qms.family.retired", "Device family retired"),
    ("qms.process.saved", "Process saved"),
    ("qms.process.retired", "Process retired"),
]:
    event_types.register(_code, _label)


class Retirable(models.Model):
    """Kept for ever; retired (with who, when and why) instead of deleted."""

    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class BodyKind(models.TextChoices):
    UK_APPROVED = "uk_approved", "UK approved body"
    EU_NOTIFIED = "eu_notified", "EU notified body"
    CERTIFICATION = "certification", "ISO 13485 certification body"


class ApprovedBody(Retirable):
    """A conformity assessment body: UK approved body, EU notified body, or the
    certification body that issues the ISO 13485 certificate."""

    name = models.CharField(max_length=200)
    number = models.CharField(max_length=20, blank=True, help_text="e.g. 0086 (UK), 2797 (EU)")
    kind = models.CharField(max_length=20, choices=BodyKind.choices, default=BodyKind.UK_APPROVED)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], condition=~Q(number=""), name="qms_body_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})" if self.number else self.name


class ResponsiblePerson(Retirable):
    """The UK Responsible Person of a manufacturer based outside the UK (UK MDR 2002
    reg. 7A), with the written mandate kept as a controlled document."""

    name = models.CharField(max_length=200)
    address = models.TextField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    mandate = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The written mandate, a controlled document",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(Retirable):
    name = models.CharField(max_length=200, unique=True)
    address = models.TextField()
    activities = models.TextField(blank=True, help_text="What is done there")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeviceFamily(Retirable):
    """Devices sharing an intended purpose and technical documentation: what a QMS scope
    covers and what a medical device file is kept for."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "device families"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcessRisk(models.TextChoices):
    LOW = "low", "low"
    MEDIUM = "medium", "medium"
    HIGH = "high", "high"


class Process(Retirable):
    """A process of the QMS (ISO 13485 4.1.2): who owns it, what it is for, what goes in
    and out, which processes it feeds, how risky it is (the risk-based approach,
    4.1.2 b), how it is monitored (4.1.3), whether it is outsourced (4.1.5) and the
    controlled documents that run it."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()
    inputs = models.TextField(blank=True)
    outputs = models.TextField(blank=True)
    feeds = models.ManyToManyField("self", symmetrical=False, related_name="fed_by", blank=True)
    risk = models.CharField(max_length=10, choices=ProcessRisk.choices, default=ProcessRisk.MEDIUM)
    risk_rationale = models.TextField(blank=True)
    monitoring = models.TextField(blank=True, help_text="Monitoring criteria and KPIs")
    outsourced = models.BooleanField(default=False)
    documents = models.ManyToManyField(
        "documents.Document", related_name="qms_processes", blank=True
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CertificateKind(models.TextChoices):
    ISO_13485 = "iso13485", "ISO 13485 QMS certificate"
    UKCA = "ukca", "UKCA conformity certificate"
    CE = "ce", "CE conformity certificate"
    UKNI = "ukni", "UKNI conformity certificate"
    OTHER = "other", "Other certificate"


class Certificate(Retirable):
    """A certificate the organisation holds (ISO 13485, UKCA, CE): who issued it, what it
    covers, when it expires, and when the body next audits (surveillance, recertification)."""

    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    number = models.CharField(max_length=100)
    body = models.ForeignKey(ApprovedBody, on_delete=models.PROTECT, related_name="certificates")
    scope_text = models.TextField(help_text="The scope as the certificate states it")
    families = models.ManyToManyField(DeviceFamily, related_name="certificates", blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField()
    next_surveillance = models.DateField(null=True, blank=True)
    recertification_due = models.DateField(null=True, blank=True)
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["expires_on", "number"]
        indexes = [models.Index(fields=["retired_at", "expires_on"], name="qms_cert_expiry")]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="qms_cert_number"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="qms_cert_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
