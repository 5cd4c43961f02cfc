"""A PDF original opens in the browser: inline, as a PDF and nothing else, sandboxed;
only when its bytes are a PDF. Other files, and a file merely named .pdf, download."""

import io

import pytest

from openqms.documents import actions
from tests.documents.original_files import pdf

ORIGINAL = pdf(2, "Cleanroom gowning")
VIEW = "/documents/SOP-001/A/files/Gowning.pdf/view/"


def _attach(cast, revision, name="Gowning.pdf", data=ORIGINAL):
    actions.attach_file(actor=cast.author, revision=revision, name=name, content=io.BytesIO(data))


@pytest.mark.verifies("DOC-026")
def test_a_pdf_original_is_served_inline_with_safe_headers(signed_in, cast, draft):
    _attach(cast, draft)
    response = signed_in(cast.author).get(VIEW)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Gowning.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == (
        "sandbox; default-src 'none'; object-src 'self'; frame-ancestors 'none'"
    )
    assert b"".join(response.streaming_content) == ORIGINAL


@pytest.mark.verifies("DOC-026", refusal=True)
def test_a_file_renamed_pdf_is_not_served_inline(signed_in, cast, draft):
    _attach(cast, draft, data=b"<html><script>alert(1)</script></html>")
    response = signed_in(cast.author).get(VIEW)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Gowning.pdf"'


def test_other_types_are_downloads_even_asked_inline(signed_in, cast, draft):
    _attach(cast, draft, name="Gowning.txt", data=b"%PDF-1.4 says a text file")
    response = signed_in(cast.author).get("/documents/SOP-001/A/files/Gowning.txt/view/")
    assert response["Content-Disposition"] == 'attachment; filename="Gowning.txt"'
    assert response["Content-Type"] == "application/octet-stream"


def test_the_revision_page_links_to_the_pdf_in_the_browser(signed_in, cast, draft):
    _attach(cast, draft)
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert (
        f'href="{VIEW}" target="_blank" rel="noopener">Read Gowning.pdf in the browser</a>' in html
    )
    assert "No content yet." not in html


@pytest.mark.verifies("DOC-011", refusal=True)
def test_a_reader_who_may_not_see_the_draft_gets_404(signed_in, cast, draft):
    _attach(cast, draft)
    assert signed_in(cast.trainee).get(VIEW).status_code == 404
    assert signed_in(cast.trainee).get(VIEW.replace("Gowning", "Missing")).status_code == 404
