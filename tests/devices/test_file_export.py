"""The medical device file exported: one PDF (index, then each document in force) and a
ZIP of the controlled copies with the index; for who may read documents."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from openqms.devices import actions
from openqms.devices.pdf import archive_renderings

from .conftest import draft_document, effective_document, section


def _filed(cast, family):
    sop = effective_document(cast, "Software release")
    draft = draft_document(cast, "Labelling")
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("labels"), document=draft
    )
    return sop, draft


@pytest.mark.verifies("DEV-015")
def test_the_pdf_holds_the_index_then_the_documents_in_force(cast, family, signed_in):
    _sop, _draft = _filed(cast, family)
    response = signed_in(cast.auditor).get("/devices/families/HR-SW/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Medical device file HR-SW" in text
    assert "no revision in force (not included)" in text  # the draft
    assert "Software release" in text
    assert len(reader.pages) >= 2


@pytest.mark.verifies("DEV-015")
def test_the_zip_holds_the_index_and_the_controlled_copies(cast, family, signed_in):
    sop, _draft = _filed(cast, family)
    response = signed_in(cast.qa_lead).get("/devices/families/HR-SW/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["index.pdf", f"04-manufacturing/{sop.number}-rev-A.pdf"]
    assert archive.read("index.pdf").startswith(b"%PDF")


@pytest.mark.verifies("DEV-014", refusal=True)
def test_someone_who_reads_no_documents_meets_a_404(cast, family, signed_in):
    _filed(cast, family)
    client = signed_in(cast.outsider)
    assert client.get("/devices/families/HR-SW/export.pdf").status_code == 404
    assert client.get("/devices/families/HR-SW/export.doc").status_code == 404
    assert signed_in(cast.qa_lead).get("/devices/families/NOPE/export.pdf").status_code == 404


@pytest.mark.verifies("DEV-015")
def test_the_archive_carries_each_file_index(cast, family):
    found = dict(archive_renderings())
    assert list(found) == ["devices/files/HR-SW-index.pdf"]
    assert found["devices/files/HR-SW-index.pdf"]().startswith(b"%PDF")
