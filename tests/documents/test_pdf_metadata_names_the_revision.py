"""The PDF file says what it is in its own properties: title, subject (number and
revision), author and creator (OpenQMS and its version)."""

import io

from pypdf import PdfReader

import openqms
from openqms.documents.pdf import render_revision


def test_the_pdf_properties_name_the_document_and_revision(cast, effective):
    meta = PdfReader(io.BytesIO(render_revision(effective))).metadata
    assert meta.title == "SOP-001 Document control"
    assert meta.subject == "SOP-001 revision A (effective)"
    assert meta.author == "Alex Author"
    assert meta.creator == f"OpenQMS {openqms.__version__}"
