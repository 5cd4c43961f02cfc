import datetime as dt

from django.utils import timezone

from openqms.core import modules
from openqms.core.demo import seed_demo
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
    assert 140 < (iso.next_surveillance - TODAY).days < 160
    assert Certificate.objects.filter(kind="ukca", families__code="HR-SW").exists()
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
