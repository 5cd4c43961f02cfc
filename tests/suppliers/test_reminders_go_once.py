import datetime as dt

import pytest
from django.core import mail

from openqms.core.mail import send_queued
from openqms.suppliers import actions
from openqms.suppliers.models import ReminderSent
from openqms.suppliers.reminders import send_reminders

from .conftest import approve, supplier_fields, today


def _remind() -> str:
    said = send_reminders()
    send_queued()
    return said


def _subjects() -> list[str]:
    return sorted(m.subject for m in mail.outbox)


@pytest.mark.verifies("SUP-017")
def test_a_re_evaluation_due_soon_is_reminded_once_to_those_who_keep_the_register(cast, supplier):
    approve(cast, supplier)
    actions.reschedule_evaluation(
        actor=cast.qa_lead,
        supplier=supplier,
        next_evaluation=today() + dt.timedelta(days=10),
        reason="Rejected lots",
    )
    mail.outbox.clear()
    assert _remind() == "1 supplier reminder(s) queued"
    [message] = mail.outbox
    assert "re-evaluation of Kestrel Embedded Engineering Ltd is due" in message.subject
    assert message.to == [cast.qa_lead.email]
    assert _remind() == "0 supplier reminder(s) queued"
    assert len(mail.outbox) == 1


@pytest.mark.verifies("SUP-017")
def test_a_certificate_is_reminded_at_90_and_again_at_30_days(cast, supplier):
    cert = actions.add_certificate(
        actor=cast.qa_lead,
        supplier=supplier,
        kind="iso9001",
        number="Q1",
        issuer="SGS",
        expires_on=today() + dt.timedelta(days=60),
    )
    assert _remind() == "1 supplier reminder(s) queued"
    assert _remind() == "0 supplier reminder(s) queued"
    actions.retire_certificate(actor=cast.qa_lead, certificate=cert, reason="Replaced")
    actions.add_certificate(
        actor=cast.qa_lead,
        supplier=supplier,
        kind="iso9001",
        number="Q2",
        issuer="SGS",
        expires_on=today() + dt.timedelta(days=20),
    )
    assert _remind() == "1 supplier reminder(s) queued"
    assert set(ReminderSent.objects.values_list("key", flat=True)) == {
        f"certificate:{cert.pk}:{cert.expires_on}:90",
        f"certificate:{cert.pk + 1}:{today() + dt.timedelta(days=20)}:30",
    }


@pytest.mark.verifies("SUP-017")
def test_nothing_far_off_is_reminded(cast):
    supplier = actions.create_supplier(actor=cast.qa_lead, **supplier_fields(criticality="minor"))
    approve(cast, supplier)
    assert _remind() == "0 supplier reminder(s) queued"
