"""The organisation profile: who the legal manufacturer is, where it works, which roles
it takes in which market, its UK Responsible Person and its approved body (UK MDR 2002
regs. 7A and 19; ISO 13485 4.1.1: the roles the organisation takes are documented).

One profile per instance; sites, approved bodies and UK Responsible People are the
frame's rows (models/frame.py), kept through actions/organisation.py."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openqms.core.registry import event_types
from openqms.qms.models.frame import ApprovedBody, ResponsiblePerson, Retirable

for _code, _label in [
    ("qms.organisation.saved", "Organisation profile saved"),
    ("qms.market_role.added", "Market role added"),
    ("qms.market_role.retired", "Market role retired"),
]:
    event_types.register(_code, _label)


class Market(models.TextChoices):
    """The markets the organisation sells in: configuration, extended by a migration."""

    GB = "gb", "Great Britain"
    NI = "ni", "Northern Ireland"
    EU = "eu", "European Union"


class RoleKind(models.TextChoices):
    MANUFACTURER = "manufacturer", "manufacturer"
    UK_RP = "uk_rp", "UK Responsible Person"
    IMPORTER = "importer", "importer"
    DISTRIBUTOR = "distributor", "distributor"


class Organisation(models.Model):
    """The one organisation profile of the instance (`key` is always 1)."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    legal_name = models.CharField(max_length=200)
    registered_address = models.TextField()
    based_in_uk = models.BooleanField(default=True)
    responsible_person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_body = models.ForeignKey(
        ApprovedBody, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(key=1), name="qms_one_organisation")]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def needs_responsible_person(self) -> bool:
        # UK MDR 2002 reg. 7A: a manufacturer based outside the UK appoints a UK RP.
        return not self.based_in_uk and self.responsible_person_id is None


class MarketRole(Retirable):
    """A role the organisation takes in one market (manufacturer in GB, importer in the
    EU…); retired, never deleted, when it stops."""

    market = models.CharField(max_length=10, choices=Market.choices)
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["market", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "role"],
                condition=Q(retired_at__isnull=True),
                name="qms_market_role_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.get_market_display()}"
