"""A revision's PDF and original files over the API: the same bytes and rules as the pages."""

import io

from pypdf import PdfReader

from openqms.documents import actions
from openqms.testing import event_count
from tests.documents.test_api_documents import Api

NAMED = {"reviewers": ["reviewer"], "approvers": ["approver"], "due_date": "2099-01-01"}

PDF = b"%PDF-1.4 flowchart"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "fields": {}}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _attach(cast, revision, name="Flow chart.pdf"):
    actions.attach_file(actor=cast.author, revision=revision, name=name, content=io.BytesIO(PDF))


def test_the_pdf_is_the_controlled_copy_inline(client, cast, effective):
    response = Api(client, cast.trainee).get("/SOP-001/revisions/A/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="SOP-001-A.pdf"'
    assert "Controlled copy — the current version is in OpenQMS" in _text(response.content)


def test_a_pdf_to_print_is_a_download_naming_who_printed_it(client, cast, effective):
    response = Api(client, cast.trainee).get("/SOP-001/revisions/A/pdf", print="true")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SOP-001-A.pdf"'
    text = _text(response.content)
    assert "Uncontrolled when printed" in text and "by Taylor Trainee" in text


def test_a_file_comes_back_with_its_name_and_bytes(client, cast, draft):
    _attach(cast, draft)
    response = Api(client, cast.author).get("/SOP-001/revisions/A/attachments/Flow chart.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Flow chart.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_a_missing_file_is_404(client, cast, draft):
    response = Api(client, cast.author).get("/SOP-001/revisions/A/attachments/Other.pdf")
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_a_reader_gets_neither_the_pdf_nor_the_files_of_a_draft(client, cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="B")
    _attach(cast, b)
    api = Api(client, cast.trainee)
    for path in ("/SOP-001/revisions/B/pdf", "/SOP-001/revisions/B/attachments/Flow chart.pdf"):
        response = api.get(path)
        assert response.status_code == 404 and response.json() == NOT_FOUND
    assert Api(client, cast.author).get("/SOP-001/revisions/B/pdf").status_code == 200


def test_an_outsider_meets_404_on_the_files_endpoints(client, cast, draft):
    _attach(cast, draft)
    api = Api(client, cast.outsider)
    before = event_count()
    for response in (
        api.get("/SOP-001/revisions/A/pdf"),
        api.get("/SOP-001/revisions/A/pdf", print="true"),
        api.get("/SOP-001/revisions/A/attachments/Flow chart.pdf"),
    ):
        assert response.status_code == 404 and response.json() == NOT_FOUND
    assert event_count() == before


def test_submitting_still_works_beside_the_pdf_path(client, cast, draft):
    """The fixed word pdf and the steps share a URL shape; each keeps its method."""
    api = Api(client, cast.author)
    assert api.post("/SOP-001/revisions/A/submit", NAMED).json()["state"] == "in_review"
    assert api.post("/SOP-001/revisions/A/pdf").status_code == 405
