"""Demo: Halden Health Ltd's certificates (openqms demo, step "qms: certificates"). The
ISO 13485 certificate from Albion Conformity Assessment Ltd, issued about three years
ago, expiring in 60 days (so the reminders, My tasks and the dashboard have something to
say), its recertification audit due in 30 days (no surveillance visit is left before the
expiry); a UKCA certificate for family HR-SW when the device families' demo made it.
Idempotent: a certificate already there is left."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.models import User
from openqms.qms.actions.certificates import (
    CertificateData,
    add_certificate,
    record_certification_body,
)
from openqms.qms.models import BodyKind, Certificate, CertificateKind, DeviceFamily

BODY = "Albion Conformity Assessment Ltd"
ISO_NUMBER = "ACA-QMS-21877"
UKCA_NUMBER = "ACA-UKCA-0413"


def seed() -> None:
    actor = User.objects.filter(username="qa").first()
    if actor is None:
        return
    today = timezone.localdate()
    body = record_certification_body(actor=actor, name=BODY, kind=BodyKind.UK_APPROVED)
    families = list(DeviceFamily.objects.filter(retired_at__isnull=True))
    if not Certificate.objects.filter(body=body, number=ISO_NUMBER).exists():
        expires = today + dt.timedelta(days=60)
        data = CertificateData(
            kind=CertificateKind.ISO_13485,
            number=ISO_NUMBER,
            body=body,
            scope_text=(
                "Design, development and supply of software as a medical device for "
                "cardiac rhythm analysis, and its accessories."
            ),
            issued_on=expires - dt.timedelta(days=3 * 365),
            expires_on=expires,
            # Before the expiry in 60 days: the recertification audit is the next visit.
            next_surveillance=None,
            recertification_due=expires - dt.timedelta(days=30),
            families=families,
        )
        add_certificate(actor=actor, data=data)
    family = DeviceFamily.objects.filter(code="HR-SW", retired_at__isnull=True).first()
    if family and not Certificate.objects.filter(body=body, number=UKCA_NUMBER).exists():
        data = CertificateData(
            kind=CertificateKind.UKCA,
            number=UKCA_NUMBER,
            body=body,
            scope_text=f"{family.name}: Class IIa software, UK MDR 2002 Part II, Annex II.",
            issued_on=today - dt.timedelta(days=400),
            expires_on=today - dt.timedelta(days=400) + dt.timedelta(days=5 * 365),
            next_surveillance=today + dt.timedelta(days=150),
            families=[family],
        )
        add_certificate(actor=actor, data=data)
