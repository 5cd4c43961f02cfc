import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from openqms.core.inbox import tasks_for
from openqms.core.models import QueuedEmail
from openqms.qms.actions.certificates import (
    CertificateData,
    add_certificate,
    withdraw_certificate,
)
from openqms.qms.models import ApprovedBody, CertificateReminder
from openqms.qms.reminders import certificate_panels, send_certificate_reminders

TODAY = timezone.localdate()


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="Albion Conformity Assessment Ltd", number="0086")


def _add(cast, body, number, expires_in, **more):
    data = CertificateData(
        kind="iso13485",
        number=number,
        body=body,
        scope_text="Cardiac software",
        issued_on=TODAY - dt.timedelta(days=1000),
        expires_on=TODAY + dt.timedelta(days=expires_in),
        **more,
    )
    return add_certificate(actor=cast.qa_lead, data=data)


def _subjects() -> list[str]:
    return sorted(QueuedEmail.objects.values_list("subject", flat=True))


@pytest.mark.verifies("QMS-019")
def test_each_expiry_threshold_sends_one_email_to_the_qa_leads(cast, body):
    _add(cast, body, "FAR", 181)
    _add(cast, body, "D180", 170)
    _add(cast, body, "D90", 80)
    _add(cast, body, "D30", 30)
    _add(cast, body, "GONE", -1)
    assert send_certificate_reminders() == "4 certificate reminder(s) queued"
    subjects = _subjects()
    assert [s.split()[2] for s in subjects] == ["D180", "D30", "D90", "GONE"]
    assert any("GONE has expired" in s for s in subjects)
    assert {tuple(r) for r in QueuedEmail.objects.values_list("recipients", flat=True)} == {
        ("qa_lead@example.test",)
    }
    assert sorted(CertificateReminder.objects.values_list("days", flat=True)) == [0, 30, 90, 180]


@pytest.mark.verifies("QMS-019")
def test_a_second_tick_sends_nothing_new(cast, body):
    _add(cast, body, "D30", 20)
    send_certificate_reminders()
    assert send_certificate_reminders() == "0 certificate reminder(s) queued"
    assert QueuedEmail.objects.count() == 1


def test_crossing_the_next_threshold_sends_the_next_reminder(cast, body):
    certificate = _add(cast, body, "C", 100)
    send_certificate_reminders()
    type(certificate).objects.filter(pk=certificate.pk).update(
        expires_on=TODAY + dt.timedelta(days=90)
    )
    send_certificate_reminders()
    assert sorted(CertificateReminder.objects.values_list("days", flat=True)) == [90, 180]


def test_surveillance_and_recertification_are_reminded_90_and_30_days_ahead(cast, body):
    _add(
        cast,
        body,
        "AUD",
        1000,
        next_surveillance=TODAY + dt.timedelta(days=25),
        recertification_due=TODAY + dt.timedelta(days=85),
    )
    send_certificate_reminders()
    kinds = set(CertificateReminder.objects.values_list("kind", "days"))
    assert kinds == {("surveillance", 30), ("recertification", 90)}


def test_a_withdrawn_certificate_is_not_reminded(cast, body):
    withdraw_certificate(actor=cast.qa_lead, certificate=_add(cast, body, "W", 10), reason="Gone")
    assert send_certificate_reminders() == "0 certificate reminder(s) queued"


def test_the_tick_runs_the_certificate_job(cast, body):
    _add(cast, body, "D30", 20)
    call_command("tick")
    assert CertificateReminder.objects.count() == 1


@pytest.mark.verifies("QMS-019")
def test_qa_leads_see_certificates_due_in_my_tasks_and_others_do_not(cast, body):
    _add(cast, body, "SOON", 45, next_surveillance=TODAY + dt.timedelta(days=10))
    _add(cast, body, "LATER", 400)
    titles = [t.title for t in tasks_for(cast.qa_lead) if t.kind == "Certificates due"]
    assert titles == [
        "Surveillance audit for ISO 13485 QMS certificate SOON",
        "Renew ISO 13485 QMS certificate SOON (expires in 45 days)",
    ]
    assert not [t for t in tasks_for(cast.trainee) if t.kind == "Certificates due"]


def test_the_dashboard_panel_lists_the_soonest_expiry_first_with_its_level(cast, body, signed_in):
    _add(cast, body, "LATER", 400)
    _add(cast, body, "SOON", 20)
    [panel] = certificate_panels(cast.trainee)
    assert [(c.number, s.level) for c, s in panel.context["rows"]] == [
        ("SOON", "danger"),
        ("LATER", "ok"),
    ]
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert "expires in 20 days" in page
