import datetime as dt

from django.utils import timezone

from openqms.core import modules
from openqms.core.demo import seed_demo
from openqms.core.models import AuditEvent
from openqms.qms import gaps
from openqms.qms.actions.certificates import CertificateData, add_certificate
from openqms.qms.demo_certificates import BODY, ISO_NUMBER, seed
from openqms.qms.models import ApprovedBody, Certificate, Clause, DeviceFamily
from openqms.testing import event_count

TODAY = timezone.localdate()


def test_the_demo_has_halden_healths_certificate_expiring_in_60_days(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    DeviceFamily.objects.create(code="HR-SW", name="HeartRhythm software")
    seed_demo()
    iso = Certificate.objects.get(number=ISO_NUMBER)
    assert iso.body.name == BODY
    assert iso.expires_on == TODAY + dt.timedelta(days=60)
    assert 1000 < (TODAY - iso.issued_on).days < 1100  # about three years ago
    # Its visits fall within its validity (walk #10): the recertification audit is next.
    assert iso.next_surveillance is None
    assert iso.issued_on < iso.recertification_due < iso.expires_on
    for c in Certificate.objects.all():
        for day in (c.next_surveillance, c.recertification_due):
            assert day is None or c.issued_on <= day <= c.expires_on
    assert Certificate.objects.filter(kind="ukca", families__code="HR-SW").exists()
    # Walk #2: the demo's processes address their clauses, through the audited action,
    # so its gap report shows a few real gaps, not every clause.
    assert set(Clause.objects.get(number="4.2.4").processes.values_list("code", flat=True)) == {
        "PR-02"
    }
    assert Clause.objects.get(number="8.5.2").processes.get().code == "PR-08"
    mapped = Clause.objects.filter(processes__isnull=False).distinct().count()
    assert AuditEvent.objects.filter(action="qms.clause.edited").count() == mapped > 55
    report = gaps.build()
    assert {c.number for c in report.no_process} == {
        "4.1.6", "6.3", "6.4.1", "6.4.2", "7.5.2", "7.5.3", "7.5.4", "7.5.9.2", "7.5.10",
        "7.6", "8.2.4", "8.3.4",
    }  # fmt: skip
    assert {e.number for e in report.scope_excluded} == {"7.5.5", "7.5.7"}
    before = event_count()
    seed()
    assert event_count() == before
    assert ApprovedBody.objects.filter(name=BODY).count() == 1


def test_the_trail_names_certificates_and_clauses(cast):
    body = ApprovedBody.objects.create(name="Albion", number="0086")
    data = CertificateData(
        kind="ce",
        number="CE-1",
        body=body,
        scope_text="s",
        issued_on=TODAY,
        expires_on=TODAY + dt.timedelta(days=9),
    )
    certificate = add_certificate(actor=cast.qa_lead, data=data)
    clause = Clause.objects.get(number="4.2.4")
    refs = modules.record_refs(
        cast.trainee, [("qms.certificate", str(certificate.pk)), ("qms.clause", str(clause.pk))]
    )
    assert refs[("qms.certificate", str(certificate.pk))].label == "Certificate CE-1 (Albion)"
    assert refs[("qms.clause", str(clause.pk))].url == "/qms/clauses/4.2.4/"
