"""A PDF original's pages are in the controlled PDF, after the body and before the
signatures, each with the revision's header and footer stamped on it, and "page x of y"
counting every page."""

import io

import pytest
from pypdf import PdfReader

from openqms.documents import actions
from openqms.documents.pdf import render_revision
from tests.documents.original_files import docx, pdf

TWENTY = pdf(20, "Sterile barrier validation")


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def own_pages(draft):
    """The controlled PDF of SOP-001 rev A before any original is attached."""
    return len(_pages(render_revision(draft)))


def test_the_controlled_pdf_holds_the_originals_twenty_pages_each_stamped(cast, draft, own_pages):
    actions.attach_file(
        actor=cast.author, revision=draft, name="Validation.pdf", content=io.BytesIO(TWENTY)
    )
    pages = _pages(render_revision(draft))
    total = own_pages + 20
    assert len(pages) == total
    merged = pages[1:21]  # after the body page, before the signature page
    for n, text in enumerate(merged, start=1):
        assert f"Sterile barrier validation page {n}" in text
        assert "SOP-001  Document control" in text
        assert "Revision A · draft" in text
        assert f"Page {n + 1} of {total}" in text
        assert "Draft — not in force; for reference only" in text
        assert f"Original file “Validation.pdf” · page {n} of 20" in text
    assert "Electronic signatures" in pages[-1] and f"Page {total} of {total}" in pages[-1]


def test_a_landscape_original_gets_landscape_pages(cast, draft):
    actions.attach_file(
        actor=cast.author,
        revision=draft,
        name="Wide.pdf",
        content=io.BytesIO(pdf(1, "Wide drawing", landscape=True)),
    )
    page = PdfReader(io.BytesIO(render_revision(draft))).pages[1]
    assert page.mediabox.width > page.mediabox.height
    assert "Wide drawing page 1" in page.extract_text()


def test_a_file_named_pdf_that_is_not_one_prints_a_note_and_no_500(cast, draft, own_pages):
    actions.attach_file(
        actor=cast.author,
        revision=draft,
        name="Scan.pdf",
        content=io.BytesIO(b"%PDF-1.4 but nothing of a PDF after it"),
    )
    pages = _pages(render_revision(draft))
    assert len(pages) == own_pages
    words = " ".join(pages[0].split())
    assert "Original file: Scan.pdf" in words
    assert "could not be read to print it here; it is kept in OpenQMS with the revision" in words


def test_a_revision_without_originals_is_rendered_as_before(cast, draft):
    actions.attach_file(
        actor=cast.author, revision=draft, name="Data.csv", content=io.BytesIO(b"a,b\n1,2\n")
    )
    data = render_revision(draft)
    assert len(_pages(data)) == 2  # the body and the signatures; a CSV is not printed


def test_a_word_original_after_a_pdf_one_starts_on_a_page_of_its_own(cast, draft):
    for name, data in (("A.pdf", pdf(1, "Flow chart")), ("B.docx", docx("Word words here."))):
        actions.attach_file(actor=cast.author, revision=draft, name=name, content=io.BytesIO(data))
    pages = _pages(render_revision(draft))
    assert "Flow chart page 1" in pages[1] and "Word words" not in pages[1]
    assert "Original file: B.docx" in pages[2] and "Word words here." in pages[2]
