"""What every quality record shares: a number people quote (CMP-2026-0007), an owner,
when it was opened and closed, the device it concerns, and the procedure it follows.

Each kind of record (complaint, incident report, FSCA, nonconformity, CAPA…) is a
concrete model on `EventRecord` and is listed in events/kinds.py, which the dashboards,
the trail, exports, the record PDF and the link graph read: a new kind is one model and
one row there."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse

from openqms.core.models import User
from openqms.events.kinds import KINDS, Kind


class EventRecord(models.Model):
    """An abstract quality record. Concrete kinds set `KIND` (a code in events.kinds) and
    declare their own `state` field (TextChoices) and workflow."""

    KIND: ClassVar[str] = ""

    number = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(kind_of(self).url_name, args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def governing_document_ids(self) -> list[int]:
        """The procedure this kind of record follows (EventProcedure), so whoever signs a
        step must be trained on it (core.governance; ISO 13485 6.2)."""
        found = EventProcedure.objects.filter(kind=self.KIND, document__isnull=False)
        return list(found.values_list("document_id", flat=True))

    def export_row(self) -> dict[str, Any]:
        """The record as one row of its list's CSV/XLSX export (health data left out).
        Kinds add their own columns to these."""
        return {
            "number": self.number,
            "title": self.title,
            "state": getattr(self, "get_state_display", lambda: "")(),
            "device": str(self.device) if self.device_id else "",
            "owner": self.owner.full_name,
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        """The record's content for its PDF, as (heading, [(label, value)]) sections;
        signatures, history and links are added by events/pdf.py. Kinds override it."""
        return [
            (
                "Record",
                [
                    ("Number", self.number),
                    ("Title", self.title),
                    ("Device", str(self.device) if self.device_id else "—"),
                    ("Owner", self.owner.full_name),
                    ("Opened", self.opened_at),
                    ("Closed", self.closed_at or "open"),
                ],
            )
        ]


def kind_of(record: EventRecord) -> Kind:
    return KINDS[record.KIND]


class Counter(models.Model):
    """The last number given to each kind of record in each year (numbers are taken under
    a row lock, so two people never get the same one; events/numbers.py)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="events_one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class EventProcedure(models.Model):
    """The controlled procedure each kind of quality record follows (complaint handling,
    vigilance, nonconformance, CAPA…): who performs a signed step on such a record must
    be trained on its revision in force. Configuration, changed through an audited action."""

    kind = models.CharField(max_length=30, unique=True)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Procedure for {self.kind}"
