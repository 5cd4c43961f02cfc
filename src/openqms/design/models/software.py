"""IEC 62304 software systems: their safety class, the deliverables the class requires
and their evidence, software items and units, problem reports, the SOUP list and the
SBOMs it is read from.

The deliverables table follows IEC 62304:2006+A1:2015 (the amendment made 5.1, 5.2,
5.7, 5.8 apply to class A). For detailed design (5.4) we follow A1: class B must
subdivide the software into units (5.4.1), only class C needs the detailed design of
each unit and its interfaces (5.4.2–5.4.4). Unit verification (5.5.2–5.5.5) is B and C.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from openqms.core.models import User


class SafetyClass(models.TextChoices):
    A = "A", "Class A (no injury or damage to health possible)"
    B = "B", "Class B (non-serious injury possible)"
    C = "C", "Class C (death or serious injury possible)"


@dataclass(frozen=True)
class Deliverable:
    code: str
    clause: str
    name: str
    classes: str  # the safety classes that need it ("ABC", "BC", "C")


# IEC 62304:2006+A1:2015, by clause; `classes` are the classes the clause requires it of.
DELIVERABLES = (
    Deliverable("development_plan", "5.1", "Software development plan", "ABC"),
    Deliverable("requirements", "5.2", "Software requirements", "ABC"),
    Deliverable("architecture", "5.3", "Software architecture", "BC"),
    Deliverable("units_identified", "5.4.1", "Software units identified (partitioning)", "BC"),
    Deliverable("detailed_design", "5.4.2–5.4.4", "Detailed design of each unit", "C"),
    Deliverable("unit_verification", "5.5", "Unit implementation and verification", "BC"),
    Deliverable("integration_testing", "5.6", "Integration and integration testing", "BC"),
    Deliverable("system_testing", "5.7", "Software system testing", "ABC"),
    Deliverable("release", "5.8", "Software release", "ABC"),
    Deliverable("maintenance_plan", "6", "Software maintenance plan", "ABC"),
    Deliverable("risk_management", "7", "Software risk management", "ABC"),
    Deliverable("configuration_management", "8", "Software configuration management", "ABC"),
    Deliverable("problem_resolution", "9", "Software problem resolution", "ABC"),
)
DELIVERABLE_CODES = {d.code: d for d in DELIVERABLES}


def deliverables_for(safety_class: str) -> list[Deliverable]:
    """The deliverables IEC 62304 requires of a system of `safety_class`."""
    return [d for d in DELIVERABLES if safety_class in d.classes]


def class_rank(safety_class: str) -> int:
    return "ABC".index(safety_class)


class SoftwareSystem(models.Model):
    """A software system of a device (IEC 62304 4.3: classified A, B or C)."""

    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    version = models.CharField(max_length=50, blank=True)
    safety_class = models.CharField(max_length=1, choices=SafetyClass.choices)
    justification = models.TextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["device__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="design_software_system_once")
        ]

    def __str__(self) -> str:
        return f"{self.device.name} / {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("design:software-system", args=[self.pk])


class DeliverableEvidence(models.Model):
    """The evidence given for one deliverable of a system: a controlled document, a
    design baseline, a test run, or a note (the latest recorded counts)."""

    system = models.ForeignKey(SoftwareSystem, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline = models.ForeignKey(
        "design.Baseline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    test_run = models.ForeignKey(
        "design.TestRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="design_deliverable_once")
        ]

    def __str__(self) -> str:
        return self.code


class SoftwareItem(models.Model):
    """A software item or unit (IEC 62304 5.3, 5.4): a tree under its system."""

    system = models.ForeignKey(SoftwareSystem, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    is_unit = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    safety_class = models.CharField(max_length=1, choices=SafetyClass.choices)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="design_software_item_once")
        ]

    def __str__(self) -> str:
        return self.name


class ProblemState(models.TextChoices):
    OPEN = "open", "open"
    INVESTIGATED = "investigated", "investigated"
    RESOLVED = "resolved", "resolved"
    CLOSED = "closed", "closed"


class ProblemReport(models.Model):
    """A software problem report (IEC 62304 9.1–9.8)."""

    number = models.CharField(max_length=30, unique=True)
    system = models.ForeignKey(SoftwareSystem, on_delete=models.PROTECT, related_name="+")
    software_item = models.ForeignKey(
        SoftwareItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    state = models.CharField(max_length=20, choices=ProblemState.choices)
    # 9.2 investigation, 9.3 advise relevant parties / change needed?, 9.7 verification.
    investigation = models.TextField(blank=True)
    change_needed = models.BooleanField(null=True)
    verification = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("design:problem-report", args=[self.pk])


class SoupState(models.TextChoices):
    NEEDS_REVIEW = "needs_review", "needs review"
    REVIEWED = "reviewed", "reviewed"
    REMOVED = "removed", "removed"


class SoupItem(models.Model):
    """Software of unknown provenance (IEC 62304 5.3.3, 5.3.4, 7.1.2, 8.1.2) in a system,
    one row per component name; its version follows the latest SBOM."""

    system = models.ForeignKey(SoftwareSystem, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=100)
    supplier = models.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=300, blank=True)
    purl = models.CharField(max_length=500, blank=True)
    # 5.3.3 functional and performance requirements of the SOUP.
    requirements = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=SoupState.choices)
    # The last signed known-anomaly review (7.1.3): at which version, what was
    # considered, what was concluded and when.
    reviewed_version = models.CharField(max_length=100, blank=True)
    anomalies = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    # Risks (design items of type "risk") this SOUP contributes to (7.1.2 c).
    risks = models.ManyToManyField("design.Item", blank=True, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["system", "name"], name="design_soup_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("design:soup-item", args=[self.pk])

    def signature_version(self) -> str:
        return self.version

    def signature_content(self) -> dict:
        # What the known-anomaly review (7.1.3) covers: this component at this version,
        # the anomalies considered, the conclusion and its date. Supplier, licence, purl
        # and requirements are not reviewed by it: an SBOM may correct them (the ingest
        # event lists the change) and a change of requirements sends the item back for
        # review, so neither may read as a tampered signature.
        return {
            "system": self.system_id,
            "name": self.name,
            "version": self.version,
            "reviewed_version": self.reviewed_version,
            "anomalies": self.anomalies,
            "conclusion": self.conclusion,
            "reviewed_on": self.reviewed_on.isoformat() if self.reviewed_on else None,
        }


class SbomImport(models.Model):
    """One SBOM read into a system's SOUP list, with what changed since the previous one
    (`summary`: added, removed, upgraded lists and the unchanged count)."""

    system = models.ForeignKey(SoftwareSystem, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    spec_version = models.CharField(max_length=10)
    components = models.PositiveIntegerField()
    summary = models.JSONField()
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("design:sbom-import", args=[self.pk])


@dataclass(frozen=True)
class ChecklistRow:
    deliverable: Deliverable
    evidence: DeliverableEvidence | None

    @property
    def state(self) -> str:
        return "evidence given" if self.evidence is not None else "missing"


def checklist(system: SoftwareSystem) -> list[ChecklistRow]:
    """The deliverables `system`'s class requires, each with its evidence (one query)."""
    given = {
        e.code: e
        for e in DeliverableEvidence.objects.filter(system=system).select_related(
            "document", "baseline", "test_run", "recorded_by"
        )
    }
    return [ChecklistRow(d, given.get(d.code)) for d in deliverables_for(system.safety_class)]
