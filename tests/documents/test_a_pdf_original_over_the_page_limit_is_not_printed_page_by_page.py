"""Review finding 5: an 18 KB PDF of 3000 pages was attached, and each view of the
controlled PDF then made 3000 stamped pages (5 s, 5 MB, and "page x of y" broke past
999). An original over PDF_PAGE_LIMIT (500) pages is refused at attach; one already
kept prints a note instead of its pages, and at most 500 original pages print in one
controlled PDF in all."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from openqms.core.errors import InvalidInput
from openqms.core.models import StoredFile
from openqms.documents import actions, originals
from openqms.documents.models import Attachment
from openqms.documents.pdf import render_revision
from openqms.testing import event_count
from tests.documents.original_files import pdf


def _blank_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_501_page_pdf_is_refused_at_attach(cast, draft):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.attach_file(
            actor=cast.author,
            revision=draft,
            name="Long.pdf",
            content=io.BytesIO(_blank_pages(501)),
        )
    assert refused.value.message.startswith(
        "“Long.pdf” cannot be kept as an original: it has 501 pages, more than 500."
    )
    assert not Attachment.objects.exists() and event_count() == before
    assert originals.pdf_problem(_blank_pages(500)) is None


def _keep(cast, draft, name: str, data: bytes, monkeypatch) -> None:
    """An original kept before the limit existed (or under a higher one)."""
    with monkeypatch.context() as m:
        m.setattr(originals, "PDF_PAGE_LIMIT", 10_000)
        actions.attach_file(actor=cast.author, revision=draft, name=name, content=io.BytesIO(data))


def test_a_kept_original_over_the_limit_prints_a_note(monkeypatch, cast, draft):
    own = len(_pages(render_revision(draft)))
    monkeypatch.setattr(originals, "PDF_PAGE_LIMIT", 3)
    _keep(cast, draft, "Long.pdf", pdf(4, "Long original"), monkeypatch)
    sha = StoredFile.objects.get().sha256
    pages = _pages(render_revision(draft))
    assert len(pages) == own  # the note is written after the body, no page per page
    note = " ".join(" ".join(pages).split())
    assert f"This PDF (SHA-256 {sha}) has 4 pages, more than the 3 pages of originals" in note
    assert "it is kept in OpenQMS with the revision: open it there." in note
    assert not any("Long original page" in text for text in pages)


def test_originals_share_the_limit_in_one_controlled_pdf(monkeypatch, cast, draft):
    own = len(_pages(render_revision(draft)))
    monkeypatch.setattr(originals, "PDF_PAGE_LIMIT", 3)
    _keep(cast, draft, "A.pdf", pdf(2, "First original"), monkeypatch)
    _keep(cast, draft, "B.pdf", pdf(2, "Second original"), monkeypatch)
    pages = _pages(render_revision(draft))
    assert [("First original page 1" in t, "First original page 2" in t) for t in pages[1:3]] == [
        (True, False),
        (False, True),
    ]
    note = " ".join(" ".join(pages[3:]).split())
    assert "has 2 pages, more than the 1 page(s) left of the 3 pages of originals" in note
    assert len(pages) == own + 3  # two original pages, one page for the note
    assert not any("Second original page" in text for text in pages)
