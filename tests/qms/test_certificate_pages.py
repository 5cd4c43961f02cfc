import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.qms.actions.certificates import CertificateData, add_certificate
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily
from openqms.testing import changes_of, event_count, last_event

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% page\n"


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="Albion Conformity Assessment Ltd", number="0086")


def _add(cast, body, number, days, **more):
    data = CertificateData(
        kind="iso13485",
        number=number,
        body=body,
        scope_text="Cardiac software",
        issued_on=TODAY - dt.timedelta(days=1000),
        expires_on=TODAY + dt.timedelta(days=days),
        **more,
    )
    return add_certificate(actor=cast.qa_lead, data=data, file=io.BytesIO(PDF))


def _form(body, **changes):
    return {
        "kind": "ukca",
        "number": "UKCA-7",
        "body": str(body.pk),
        "scope_text": "Class IIa software",
        "issued_on": (TODAY - dt.timedelta(days=10)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=1800)).isoformat(),
        **changes,
    }


def test_the_list_shows_the_soonest_expiry_first_in_words(cast, body, signed_in):
    _add(cast, body, "LATER", 400)
    _add(cast, body, "SOON", 12)
    _add(cast, body, "GONE", -3)
    page = signed_in(cast.trainee).get("/qms/certificates/").content.decode()
    assert page.index("GONE") < page.index("SOON") < page.index("LATER")
    assert "expired" in page and "expires in 12 days" in page and ">valid<" in page


def test_the_list_runs_the_same_queries_for_few_and_many_certificates(cast, body, signed_in):
    family = DeviceFamily.objects.create(code="HR-SW", name="Heart rhythm software")
    client = signed_in(cast.auditor)
    _add(cast, body, "C-0", 50, families=[family])
    client.get("/qms/certificates/")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/qms/certificates/").status_code == 200
    for i in range(1, 30):
        _add(cast, body, f"C-{i}", 50 + i, families=[family])
    with CaptureQueriesContext(connection) as many:
        assert client.get("/qms/certificates/").status_code == 200
    assert len(many) == len(few)


def test_anyone_signed_in_reads_a_certificate_and_downloads_its_pdf(cast, body, signed_in):
    certificate = _add(cast, body, "QMS-1", 60)
    client = signed_in(cast.trainee)
    page = client.get(f"/qms/certificates/{certificate.pk}/").content.decode()
    assert "QMS-1" in page and "Withdraw" not in page and "Edit" not in page
    response = client.get(f"/qms/certificates/{certificate.pk}/file/")
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_missing_certificate_is_a_404(cast, signed_in):
    assert signed_in(cast.trainee).get("/qms/certificates/999/").status_code == 404


def test_the_add_page_is_not_there_for_someone_without_the_permission(cast, body, signed_in):
    client = signed_in(cast.trainee)
    assert client.get("/qms/certificates/new/").status_code == 404
    before = event_count()
    assert client.post("/qms/certificates/new/", _form(body)).status_code == 404
    assert not Certificate.objects.exists() and event_count() == before


def test_the_qa_lead_adds_a_certificate_on_the_page(cast, body, signed_in):
    client = signed_in(cast.qa_lead)
    response = client.post("/qms/certificates/new/", _form(body))
    certificate = Certificate.objects.get()
    assert response.url == f"/qms/certificates/{certificate.pk}/"
    assert last_event().action == "qms.certificate.added"


def test_the_add_page_refuses_a_surveillance_after_the_expiry_naming_the_field(
    cast, body, signed_in
):
    client = signed_in(cast.qa_lead)
    before = event_count()
    bad = _form(body, next_surveillance=(TODAY + dt.timedelta(days=1801)).isoformat())
    page = client.post("/qms/certificates/new/", bad).content.decode()
    assert "The next surveillance date cannot come after the expiry date." in page
    assert not Certificate.objects.exists() and event_count() == before


def test_the_new_bodys_kind_defaults_to_a_uk_approved_body(cast, signed_in):
    page = signed_in(cast.qa_lead).get("/qms/certificates/new/").content.decode()
    assert '<option value="uk_approved" selected>' in page


def test_the_add_page_names_the_field_at_fault_and_saves_nothing(cast, body, signed_in):
    client = signed_in(cast.qa_lead)
    before = event_count()
    bad = _form(body, expires_on=(TODAY - dt.timedelta(days=20)).isoformat())
    page = client.post("/qms/certificates/new/", bad).content.decode()
    assert "The expiry date must come after the issue date." in page
    assert not Certificate.objects.exists() and event_count() == before


def test_the_add_page_refuses_a_file_that_is_not_a_pdf(cast, body, signed_in):
    client = signed_in(cast.qa_lead)
    upload = io.BytesIO(b"hello")
    upload.name = "cert.pdf"
    page = client.post("/qms/certificates/new/", {**_form(body), "file": upload})
    assert "must be a PDF" in page.content.decode()
    assert not Certificate.objects.exists()


def test_the_edit_page_saves_and_the_trail_has_the_change(cast, body, signed_in):
    certificate = _add(cast, body, "QMS-1", 60)
    client = signed_in(cast.qa_lead)
    form = _form(body, kind="iso13485", number="QMS-1", reason="Typo")
    form["issued_on"] = certificate.issued_on.isoformat()
    client.post(f"/qms/certificates/{certificate.pk}/edit/", form)
    event = last_event()
    assert event.action == "qms.certificate.edited" and event.reason == "Typo"
    assert changes_of(event)["scope_text"] == ["Cardiac software", "Class IIa software"]


def test_the_withdraw_button_withdraws_with_the_reason(cast, body, signed_in):
    certificate = _add(cast, body, "QMS-1", 60)
    client = signed_in(cast.qa_lead)
    client.post(f"/qms/certificates/{certificate.pk}/withdraw/", {"reason": "Suspended"})
    certificate.refresh_from_db()
    assert certificate.retired and certificate.retire_reason == "Suspended"
    page = client.get("/qms/certificates/").content.decode()
    assert "withdrawn" in page


def test_someone_with_no_role_meets_a_404_on_every_certificate_and_clause_page(
    cast, body, signed_in
):
    certificate = _add(cast, body, "QMS-1", 60)
    client = signed_in(cast.outsider)
    for url in [
        "/qms/certificates/",
        f"/qms/certificates/{certificate.pk}/",
        f"/qms/certificates/{certificate.pk}/file/",
        "/qms/clauses/",
        "/qms/clauses/4.2.4/",
        "/qms/gaps/",
        "/qms/gaps/pdf/",
    ]:
        assert client.get(url).status_code == 404, url
    assert "QMS-1" not in client.get("/qms/").content.decode()
