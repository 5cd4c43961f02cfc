"""CAPA: corrective and preventive action (ISO 13485 8.5.2, 8.5.3).

A CAPA is raised from the records that showed the problem (complaints, nonconformities,
trends, incident reports, FSCAs, PMS reports: core links "raised") and/or typed
references (an audit finding, a management review). It is investigated (risk,
containment, five whys and cause categories, root cause), its action plan carried out and
verified, and its effectiveness checked and signed by someone other than its owner. An
ineffective result reopens it with a new plan round. It cannot close before its
effectiveness is verified effective: a workflow guard and a database check constraint."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import User
from openqms.events.models.base import EventRecord
from openqms.events.models.fsca import Party  # the same parties are told of an FSCA


class CapaState(models.TextChoices):
    OPEN = "open", "open"
    INVESTIGATING = "investigating", "investigating"
    IMPLEMENTING = "implementing", "implementing actions"
    VERIFYING = "verifying", "verifying implementation"
    EFFECTIVENESS = "effectiveness", "effectiveness check"
    CLOSED = "closed", "closed"


OPEN_STATES = [s for s in CapaState.values if s != CapaState.CLOSED]


class CapaType(models.TextChoices):
    CORRECTIVE = "corrective", "corrective (8.5.2)"
    PREVENTIVE = "preventive", "preventive (8.5.3)"


class CauseCategory(models.TextChoices):
    PEOPLE = "people", "people"
    METHOD = "method", "method"
    MACHINE = "machine", "machine or equipment"
    MATERIAL = "material", "material"
    MEASUREMENT = "measurement", "measurement"
    ENVIRONMENT = "environment", "environment"
    SOFTWARE = "software", "software"
    DESIGN = "design", "design"
    SUPPLIER = "supplier", "supplier"


class Level(models.IntegerChoices):
    """Severity or probability on a five-point scale (the risk assessment of 8.5.2 b)."""

    ONE = 1, "1 – negligible / improbable"
    TWO = 2, "2 – minor / remote"
    THREE = 3, "3 – serious / occasional"
    FOUR = 4, "4 – critical / probable"
    FIVE = 5, "5 – catastrophic / frequent"


class Result(models.TextChoices):
    EFFECTIVE = "effective", "effective"
    NOT_EFFECTIVE = "not_effective", "not effective"


class Capa(EventRecord):
    KIND = "capa"

    state = models.CharField(max_length=20, choices=CapaState.choices, default=CapaState.OPEN)
    capa_type = models.CharField(max_length=20, choices=CapaType.choices)
    problem = models.TextField()
    risk_severity = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    risk_probability = models.PositiveSmallIntegerField(
        choices=Level.choices, null=True, blank=True
    )
    risk_assessment = models.TextField(blank=True)
    containment = models.TextField(blank=True)
    # Root-cause analysis: the five whys as ordered answers, the cause categories chosen.
    whys = models.JSONField(default=list, blank=True)
    cause_categories = models.JSONField(default=list, blank=True)
    root_cause = models.TextField(blank=True)
    # The plan round: 1, and one more each time an ineffective result reopens the CAPA.
    round = models.PositiveSmallIntegerField(default=1)
    verification = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    effectiveness_criteria = models.TextField(blank=True)
    effectiveness_due = models.DateField(null=True, blank=True)
    # The signed result of the current round's check ("" until there is one).
    effectiveness = models.CharField(max_length=20, choices=Result.choices, blank=True)
    # Regulatory impact: does it touch safety or performance? (None: not assessed yet)
    touches_safety = models.BooleanField(null=True, blank=True)
    regulatory_assessment = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_capa_open"),
            models.Index(fields=["state", "opened_at"]),
            models.Index(fields=["device", "opened_at"]),
        ]
        constraints = [
            # ISO 13485 8.5.2 f): no CAPA closes before its effectiveness is verified.
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(effectiveness="effective"),
                name="events_capa_closed_only_when_effective",
            )
        ]

    @property
    def risk_score(self) -> int | None:
        if self.risk_severity and self.risk_probability:
            return self.risk_severity * self.risk_probability
        return None

    def cause_labels(self) -> list[str]:
        return [CauseCategory(c).label for c in self.cause_categories]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What the closure signature covers."""
        return {
            "number": self.number,
            "type": self.capa_type,
            "problem": self.problem,
            "root_cause": self.root_cause,
            "round": self.round,
            "verification": self.verification,
            "effectiveness": self.effectiveness,
            "touches_safety": self.touches_safety,
            "regulatory_assessment": self.regulatory_assessment,
        }

    def export_row(self) -> dict[str, Any]:
        return {
            **super().export_row(),
            "type": self.get_capa_type_display(),
            "round": self.round,
            "root_cause": self.root_cause,
            "effectiveness_due": self.effectiveness_due,
            "effectiveness": self.get_effectiveness_display(),
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        return [
            *super().pdf_sections(),
            (
                "Problem and risk",
                [
                    ("Type", self.get_capa_type_display()),
                    ("State", self.get_state_display()),
                    ("Problem", self.problem),
                    ("Severity", self.get_risk_severity_display() or "—"),
                    ("Probability", self.get_risk_probability_display() or "—"),
                    ("Risk assessment", self.risk_assessment or "—"),
                    ("Containment", self.containment or "—"),
                ],
            ),
            (
                "Root cause",
                [
                    *[(f"Why {i}", w) for i, w in enumerate(self.whys, 1)],
                    ("Cause categories", ", ".join(self.cause_labels()) or "—"),
                    ("Root cause", self.root_cause or "—"),
                ],
            ),
            (
                "Verification and effectiveness",
                [
                    ("Plan round", self.round),
                    ("Implementation verified", self.verification or "—"),
                    ("Effectiveness criteria", self.effectiveness_criteria or "—"),
                    ("Effectiveness check due", self.effectiveness_due or "—"),
                    ("Effectiveness", self.get_effectiveness_display() or "not yet checked"),
                    (
                        "Touches safety or performance",
                        {True: "yes", False: "no", None: "not assessed"}[self.touches_safety],
                    ),
                    ("Regulatory assessment", self.regulatory_assessment or "—"),
                ],
            ),
        ]


class ReferenceKind(models.TextChoices):
    AUDIT_FINDING = "audit_finding", "audit finding"
    MANAGEMENT_REVIEW = "management_review", "management review"
    OTHER = "other", "other source"


class CapaReference(models.Model):
    """A source that is not a record in OpenQMS's events (an audit finding, a management
    review output), named by its reference."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="references")
    kind = models.CharField(max_length=30, choices=ReferenceKind.choices)
    reference = models.CharField(max_length=200)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class CapaAction(models.Model):
    """One task of a plan round: what, who, by when; done with its evidence."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="actions")
    round = models.PositiveSmallIntegerField()
    description = models.TextField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "due", "pk"]
        indexes = [models.Index(fields=["done_at", "due"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(evidence=""),
                name="events_capa_action_done_with_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.capa.number} action: {self.description[:60]}"

    def governing_document_ids(self) -> list[int]:
        return self.capa.governing_document_ids()


class EffectivenessCheck(models.Model):
    """The signed result of one round's effectiveness check (meaning capa_effectiveness),
    by someone other than the CAPA's owner. Never edited."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="checks")
    round = models.PositiveSmallIntegerField()
    criteria = models.TextField()
    result = models.CharField(max_length=20, choices=Result.choices)
    evidence = models.TextField()
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["capa", "round"], name="events_one_check_per_round")
        ]

    def __str__(self) -> str:
        return f"Effectiveness of {self.capa.number} (round {self.round}): {self.result}"

    def governing_document_ids(self) -> list[int]:
        return self.capa.governing_document_ids()

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        return {
            "capa": self.capa.number,
            "round": self.round,
            "criteria": self.criteria,
            "result": self.result,
            "evidence": self.evidence,
        }


class RegulatoryNotice(models.Model):
    """Dated evidence that a party was told of a CAPA touching safety or performance."""

    capa = models.ForeignKey(Capa, on_delete=models.PROTECT, related_name="notices")
    party = models.CharField(max_length=20, choices=Party.choices)
    told_on = models.DateField()
    evidence = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["told_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} told {self.told_on}"


class CapaReminder(models.Model):
    """A reminder email queued once (the key says for what and which due date)."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
