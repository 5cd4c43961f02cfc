"""The individual training record as a PDF: header and footer on every page, every
requirement, every assignment with its revision, dates and signature."""

import io

import pytest
from pypdf import PdfReader

from openqms.core.signatures import manifestations
from openqms.testing import event_count
from openqms.training import actions
from openqms.training.export import person_record
from openqms.training.models import Assignment
from openqms.training.pdf import render_person_record

from .conftest import SIGN, new_revision


@pytest.fixture
def trained(cast, engineer, sop_a):
    """The trainee signed SOP-001 A; B is now in force and due."""
    assignment = Assignment.objects.get(person=cast.trainee, revision=sop_a)
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    new_revision(cast, sop_a)
    return done


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.verifies("TRN-020")
def test_the_pdf_lists_the_requirement_the_revisions_and_the_signature(cast, trained):
    text = _text(render_person_record(person_record(cast.trainee), generated_by=cast.qa_lead))
    flat = _flat(text)
    assert "Training record — Taylor Trainee (trainee)" in flat
    assert "SOP-001" in flat and "Due" in flat
    (signature,) = manifestations(trained)
    assert "Taylor Trainee — Read and understood (trained)" in flat
    assert f"{signature.signed_at:%Y-%m-%d %H:%M:%S} UTC" in flat
    assert signature.content_hash in text.replace("\n", "").replace(" ", "")
    assert "SOP-001 rev A became effective" in flat and "SOP-001 rev B became effective" in flat


def test_every_page_names_the_person_who_generated_it_and_the_page_count(cast, trained):
    pdf = render_person_record(person_record(cast.trainee), generated_by=cast.qa_lead)
    pages = [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    for number, page in enumerate(pages, start=1):
        assert "Taylor Trainee (trainee)" in page
        assert "by Quinn Avery" in page and " UTC) by " in page
        assert f"Page {number} of {len(pages)}" in page


def test_the_pdf_page_serves_the_record_inline_to_whoever_may_see_it(signed_in, cast, trained):
    before = event_count()
    response = signed_in(cast.trainee).get("/training/people/trainee/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="training-record-trainee-')
    assert "Taylor Trainee" in _text(response.content)
    assert signed_in(cast.outsider).get("/training/people/trainee/record.pdf").status_code == 404
    assert event_count() == before
