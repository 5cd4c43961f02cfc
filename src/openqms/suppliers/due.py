"""What is due: suppliers to evaluate again, certificates and agreements expiring. My
tasks, the dashboard panel, the reminders and the pages all read these, so they agree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from openqms.suppliers.models import OutsourcedProcess, Status, Supplier, SupplierCertificate

REEVALUATION_NOTICE = dt.timedelta(days=30)
# Supplier certificates warn 90 and 30 days ahead (the brief of issue 11).
CERTIFICATE_WARNINGS = (90, 30)
AGREEMENT_NOTICE = dt.timedelta(days=90)


def reevaluations_due(today: dt.date) -> QuerySet[Supplier]:
    """Live suppliers whose re-evaluation falls within 30 days or is overdue."""
    return Supplier.objects.filter(
        retired_at__isnull=True,
        next_evaluation__isnull=False,
        next_evaluation__lte=today + REEVALUATION_NOTICE,
    ).exclude(status=Status.DISQUALIFIED)


def certificates_expiring(today: dt.date) -> QuerySet[SupplierCertificate]:
    """Live certificates of live suppliers expiring within 90 days, or expired."""
    return SupplierCertificate.objects.filter(
        retired_at__isnull=True,
        supplier__retired_at__isnull=True,
        expires_on__lte=today + dt.timedelta(days=CERTIFICATE_WARNINGS[0]),
    ).select_related("supplier")


def agreement_problems(today: dt.date) -> QuerySet[OutsourcedProcess]:
    """Live outsourced processes whose quality agreement is missing, not in force, or
    expiring within 90 days (4.1.5: outsourced processes are controlled by agreement)."""
    return OutsourcedProcess.objects.filter(
        Q(agreement__isnull=True)
        | Q(agreement__in_force=False)
        | Q(agreement__withdrawn_at__isnull=False)
        | Q(agreement_expires_on__lte=today + AGREEMENT_NOTICE),
        retired_at__isnull=True,
    ).select_related("partner", "agreement")


def agreement_problem(outsourced: OutsourcedProcess, today: dt.date) -> str:
    """Why an outsourced process's agreement needs attention, in plain words; "" if not."""
    doc = outsourced.agreement
    if doc is None:
        return "no quality agreement"
    if doc.withdrawn_at is not None or not doc.in_force:
        return f"quality agreement {doc.number} is not in force"
    expires = outsourced.agreement_expires_on
    if expires is not None and expires < today:
        return f"quality agreement expired {expires:%d %b %Y}"
    if expires is not None and expires <= today + AGREEMENT_NOTICE:
        return f"quality agreement expires {expires:%d %b %Y}"
    return ""
