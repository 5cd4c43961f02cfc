import datetime as dt
import io

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.qms.actions.certificates import CertificateData, add_certificate
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily
from openqms.testing import changes_of, event_count, events_since, last_event

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% a certificate\n%%EOF\n"


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="Albion Conformity Assessment Ltd", number="0086")


@pytest.fixture
def family(db):
    return DeviceFamily.objects.create(code="HR-SW", name="Heart rhythm software")


def _data(body, **changes):
    values = {
        "kind": "iso13485",
        "number": "QMS-001",
        "body": body,
        "scope_text": "Design and supply of cardiac software",
        "issued_on": TODAY - dt.timedelta(days=1000),
        "expires_on": TODAY + dt.timedelta(days=60),
        "next_surveillance": TODAY + dt.timedelta(days=30),
    }
    return CertificateData(**{**values, **changes})


@pytest.mark.verifies("QMS-017")
def test_qa_lead_adds_a_certificate_with_its_pdf(cast, body, family):
    certificate = add_certificate(
        actor=cast.qa_lead, data=_data(body, families=[family]), file=io.BytesIO(PDF)
    )
    certificate.refresh_from_db()
    assert certificate.file is not None and certificate.file.size == len(PDF)
    assert list(certificate.families.all()) == [family]
    event = last_event()
    assert event.action == "qms.certificate.added"
    assert (event.object_type, event.object_id) == ("qms.certificate", str(certificate.pk))
    changes = changes_of(event)
    assert changes["number"] == [None, "QMS-001"]
    assert changes["families"] == [None, ["HR-SW"]]
    assert changes["expires_on"] == [None, (TODAY + dt.timedelta(days=60)).isoformat()]
    assert changes["file_sha256"][1] == certificate.file.sha256


def test_a_body_not_yet_listed_is_recorded_with_the_certificate(cast):
    data = _data(None, new_body="Thames Notified Body", new_body_kind="eu_notified")
    certificate = add_certificate(actor=cast.qa_lead, data=data)
    assert certificate.body.name == "Thames Notified Body"
    actions = [e.action for e in events_since(event_count() - 2)]
    assert actions == ["qms.body.saved", "qms.certificate.added"]


def _refused(cast, data, file=None, actor=None):
    before = event_count()
    with pytest.raises((InvalidInput, PermissionRefused)) as refused:
        add_certificate(actor=actor or cast.qa_lead, data=data, file=file)
    assert Certificate.objects.count() == 0
    assert event_count() == before
    return refused.value


@pytest.mark.verifies("QMS-017")
def test_expiry_before_issue_is_refused_and_nothing_is_saved(cast, body):
    error = _refused(cast, _data(body, expires_on=TODAY - dt.timedelta(days=1001)))
    assert "expiry date must come after the issue date" in error.message
    assert "expires_on" in error.fields


@pytest.mark.parametrize(
    ("field", "label"),
    [("next_surveillance", "next surveillance"), ("recertification_due", "recertification")],
)
def test_a_visit_due_after_the_expiry_is_refused_naming_the_field(cast, body, field, label):
    error = _refused(cast, _data(body, **{field: TODAY + dt.timedelta(days=61)}))
    assert f"The {label} date cannot come after the expiry date" in error.message
    assert error.fields == {field: "After the expiry date."}


def test_a_visit_due_on_the_expiry_day_is_accepted(cast, body):
    day = TODAY + dt.timedelta(days=60)
    c = add_certificate(
        actor=cast.qa_lead, data=_data(body, next_surveillance=day, recertification_due=day)
    )
    assert c.next_surveillance == day == c.recertification_due
    assert last_event().action == "qms.certificate.added"


def test_a_visit_due_before_the_issue_is_refused(cast, body):
    error = _refused(cast, _data(body, recertification_due=TODAY - dt.timedelta(days=1001)))
    assert "recertification date cannot come before the issue date" in error.message
    assert "recertification_due" in error.fields


def test_a_number_the_body_already_used_is_refused(cast, body):
    add_certificate(actor=cast.qa_lead, data=_data(body))
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        add_certificate(actor=cast.qa_lead, data=_data(body, kind="ukca"))
    assert "number" in refused.value.fields
    assert Certificate.objects.count() == 1
    assert event_count() == before


def test_an_empty_file_is_refused(cast, body):
    error = _refused(cast, _data(body), file=io.BytesIO(b""))
    assert error.message == "The file is empty."


@pytest.mark.verifies("QMS-017")
def test_a_file_that_is_not_a_pdf_is_refused(cast, body):
    error = _refused(cast, _data(body), file=io.BytesIO(b"PK\x03\x04 a zip"))
    assert error.fields == {"file": "Not a PDF file."}


def test_a_file_over_the_size_limit_is_refused(cast, body, settings):
    settings.FILE_MAX_BYTES = 100
    error = _refused(cast, _data(body), file=io.BytesIO(PDF + b"x" * 200))
    assert error.fields == {"file": "Too large."}


def test_a_nul_character_in_the_number_is_refused(cast, body):
    error = _refused(cast, _data(body, number="QMS\x00"))
    assert "number" in error.fields


def test_someone_without_the_permission_cannot_add_a_certificate(cast, body):
    _refused(cast, _data(body), actor=cast.trainee)
