"""Nonconformities (ISO 13485 8.3): product, process or supplier output that does not
meet its requirement, from any source.

A nonconformity is contained, its impact assessed (on safety and performance, and on
devices already delivered, which may call for an FSCA), then disposed of: used as is
under a concession (justified, and authorised by a signature of someone who neither
raised nor disposed of it, 8.3.2), reworked (and re-verified before release, 8.3.4),
scrapped or returned to the supplier. Release is signed and closes the record."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from openqms.core.models import User
from openqms.events.models.base import EventRecord


class NcSource(models.TextChoices):
    INCOMING = "incoming_goods", "incoming goods"
    PRODUCTION = "production", "production"
    SOFTWARE = "software_release", "software release"
    PROCESS = "process", "process"
    SUPPLIER = "supplier", "supplier"
    AUDIT = "audit", "audit"
    COMPLAINT = "complaint", "complaint"
    OTHER = "other", "other"


# Sources whose nonconformity names the supplier (and counts in its performance).
SUPPLIER_SOURCES = (NcSource.INCOMING, NcSource.SUPPLIER)


class NcState(models.TextChoices):
    RAISED = "raised", "raised"
    CONTAINED = "contained", "contained"
    ASSESSED = "assessed", "assessed"
    DISPOSED = "disposed", "disposed of"
    CLOSED = "closed", "released and closed"


class Disposition(models.TextChoices):
    USE_AS_IS = "use_as_is", "use as is under a concession"
    REWORK = "rework", "rework"
    SCRAP = "scrap", "scrap"
    RETURN = "return_to_supplier", "return to supplier"


_YES_NO = {True: "yes", False: "no", None: ""}


class Nonconformity(EventRecord):
    KIND = "nonconformity"

    state = models.CharField(max_length=20, choices=NcState.choices, default=NcState.RAISED)
    source = models.CharField(max_length=20, choices=NcSource.choices)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.CharField(max_length=200, blank=True)
    part = models.CharField(max_length=200, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    serial = models.CharField(max_length=100, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField()  # what is wrong
    requirement = models.TextField()  # against which requirement
    # Containment: what was done at once, when, by whom.
    containment = models.TextField(blank=True)
    contained_at = models.DateTimeField(null=True, blank=True)
    contained_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Impact assessment (required before disposition).
    impact = models.TextField(blank=True)
    delivered_affected = models.BooleanField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Disposition.
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_note = models.TextField(blank=True)
    concession_justification = models.TextField(blank=True)
    disposed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)
    # The concession's signed authorisation (meaning nc_concession_authorised).
    concession_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concession_at = models.DateTimeField(null=True, blank=True)
    # Re-verification after rework (8.3.4).
    reverification = models.TextField(blank=True)
    reverification_passed = models.BooleanField(null=True, blank=True)
    reverified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverified_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Closed without a disposition because it was raised in error (signed, with reason).
    raised_in_error = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "nonconformities"
        indexes = [
            models.Index(fields=["closed_at", "opened_at"], name="events_nc_open"),
            models.Index(fields=["state", "opened_at"]),
            models.Index(fields=["source", "opened_at"]),
            models.Index(fields=["supplier", "opened_at"]),
            models.Index(fields=["device", "opened_at"]),
        ]
        constraints = [
            # 8.3: a nonconformity is closed only once disposed of (or raised in error).
            models.CheckConstraint(
                name="nc_closed_has_disposition",
                condition=~Q(state="closed") | ~Q(disposition="") | Q(raised_in_error=True),
            ),
            # 8.3.2: used as is only under an authorised concession.
            models.CheckConstraint(
                name="nc_use_as_is_closed_under_concession",
                condition=~Q(state="closed", disposition="use_as_is", raised_in_error=False)
                | Q(concession_at__isnull=False),
            ),
            # 8.3.4: reworked product is released only after a passed re-verification.
            models.CheckConstraint(
                name="nc_rework_closed_reverified",
                condition=~Q(state="closed", disposition="rework", raised_in_error=False)
                | Q(reverification_passed=True),
            ),
            models.CheckConstraint(
                name="nc_supplier_only_for_supplier_sources",
                condition=Q(supplier__isnull=True) | Q(source__in=["incoming_goods", "supplier"]),
            ),
        ]

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict[str, Any]:
        """What a concession authorisation and the release signature cover."""
        return {
            "number": self.number,
            "source": self.source,
            "supplier": self.supplier_id,
            "device": self.device_id,
            "product": self.product,
            "part": self.part,
            "lot": self.lot,
            "serial": self.serial,
            "quantity": self.quantity,
            "description": self.description,
            "requirement": self.requirement,
            "containment": self.containment,
            "impact": self.impact,
            "delivered_affected": self.delivered_affected,
            "disposition": self.disposition,
            "disposition_note": self.disposition_note,
            "concession_justification": self.concession_justification,
            "reverification": self.reverification,
            "reverification_passed": self.reverification_passed,
        }

    def export_row(self) -> dict[str, Any]:
        return super().export_row() | {
            "source": self.get_source_display(),
            "supplier": str(self.supplier) if self.supplier_id else "",
            "lot": self.lot,
            "serial": self.serial,
            "quantity": self.quantity,
            "disposition": self.get_disposition_display() if self.disposition else "",
            "delivered_affected": _YES_NO[self.delivered_affected],
            "raised in error": "yes" if self.raised_in_error else "no",
        }

    def pdf_sections(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        yes_no = {True: "yes", False: "no", None: "—"}

        def by(user: User | None, when: Any) -> str:
            if user is None:
                return "—"
            return (
                f"{user.full_name}, {timezone.localtime(when):%d %b %Y %H:%M}"
                if when
                else user.full_name
            )

        return [
            *super().pdf_sections(),
            (
                "Nonconformity",
                [
                    ("State", self.get_state_display()),
                    ("Source", self.get_source_display()),
                    ("Supplier", str(self.supplier) if self.supplier_id else "—"),
                    ("Product", self.product or "—"),
                    ("Part", self.part or "—"),
                    ("Lot", self.lot or "—"),
                    ("Serial", self.serial or "—"),
                    ("Quantity", self.quantity if self.quantity is not None else "—"),
                    ("What is wrong", self.description),
                    ("Requirement", self.requirement),
                ],
            ),
            (
                "Containment and impact",
                [
                    ("Containment", self.containment or "—"),
                    ("Contained by", by(self.contained_by, self.contained_at)),
                    ("Impact on safety and performance", self.impact or "—"),
                    ("Devices already delivered affected", yes_no[self.delivered_affected]),
                    ("Assessed by", by(self.assessed_by, self.assessed_at)),
                ],
            ),
            (
                "Disposition and release",
                [
                    ("Disposition", self.get_disposition_display() or "—"),
                    ("Note", self.disposition_note or "—"),
                    ("Disposed of by", by(self.disposed_by, self.disposed_at)),
                    ("Concession justification", self.concession_justification or "—"),
                    ("Concession authorised by", by(self.concession_by, self.concession_at)),
                    ("Re-verification", self.reverification or "—"),
                    ("Re-verification passed", yes_no[self.reverification_passed]),
                    ("Re-verified by", by(self.reverified_by, self.reverified_at)),
                    (
                        "Closed as raised in error" if self.raised_in_error else "Released by",
                        by(self.released_by, self.closed_at) if self.closed_at else "not yet",
                    ),
                ],
            ),
        ]
