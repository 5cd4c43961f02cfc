"""The PDF of a quality record: its content, the signature manifestation of a signed
record, its history from the audit trail (health data masked for those without the
grant), and the records linked to it. Read back with pypdf."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from openqms.core import audit, signing
from openqms.core.links import link_records
from openqms.core.signatures import Credentials, content_hash
from openqms.testing import PASSWORD

from .across_records import complaint, record_pages  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]

SECRET = "Patient 71, admitted to ward 4"


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _history(cast, record):
    with audit.writing():
        audit.record(
            actor=cast.qa_lead,
            action="events.complaint.edited",
            obj=record,
            changes={"patient_details": [None, SECRET], "investigation": [None, "Log read"]},
        )
        link_records(
            actor=cast.qa_lead,
            source=record,
            target=complaint(cast, title="Twin"),
            kind="duplicate",
        )


@pytest.mark.verifies("EVT-039")
def test_the_pdf_holds_content_history_links_and_signature_page(client, cast, device):
    record = complaint(cast, device=device, title="Lead detached", patient_details=SECRET)
    _history(cast, record)
    client.force_login(cast.auditor)
    text = _text(client.get(reverse("events:record-pdf", args=["complaint", record.pk])))
    assert record.number in text and "Lead detached" in text
    assert "History (audit trail)" in text and "Complaint edited" in text and "Log read" in text
    assert "Linked records" in text and "Twin" in text
    assert "Electronic signatures" in text and "Content SHA-256" in text


@pytest.mark.verifies("EVT-039")
def test_the_signature_manifestation_is_printed(client, cast):
    """A signed record (here a complaint's closure, signed through core): the printed name,
    the meaning and the content hash signed."""
    record = complaint(cast, title="Closed one")

    def close(locked, _signed):
        audit.record(actor=cast.qa_lead, action="events.complaint.closed", obj=locked)

    signing.perform(
        actor=cast.qa_lead,
        record=record,
        change=close,
        meaning="complaint_closed",
        credentials=Credentials(PASSWORD),
    )
    client.force_login(cast.auditor)
    text = _text(client.get(reverse("events:record-pdf", args=["complaint", record.pk])))
    assert f"{cast.qa_lead.full_name} — Complaint closed" in text
    assert content_hash(record.signature_content()) in text.replace("\n", "")


@pytest.mark.verifies("EVT-005", refusal=True)
def test_health_data_is_masked_for_a_reader_without_the_grant(client, cast):
    record = complaint(cast, patient_details=SECRET)
    _history(cast, record)
    client.force_login(cast.auditor)
    text = _text(client.get(reverse("events:record-pdf", args=["complaint", record.pk])))
    assert "ward 4" not in text.replace("\n", " ")


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404(client, cast):
    record = complaint(cast)
    client.force_login(cast.outsider)
    response = client.get(reverse("events:record-pdf", args=["complaint", record.pk]))
    assert response.status_code == 404
    client.force_login(cast.qa_lead)
    assert client.get(reverse("events:record-pdf", args=["complaint", 99999])).status_code == 404
