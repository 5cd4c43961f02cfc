"""PDFs made with the fonts parsed once per process are byte for byte those made by parsing
the font files again, one after the other: no glyph or subset state leaks between them."""

import datetime as dt
import io

from pypdf import PdfReader

from openqms.core import pdf_fonts
from openqms.core.pdf import FONT, ControlledPDF

WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


class ParsedEachTime(ControlledPDF):
    font_cache = False


def _render(kind: type[ControlledPDF], body: str, *, italic: bool = False) -> bytes:
    pdf = kind(title="SOP-001  Cache", subtitle="Revision A", note="note", watermark="DRAFT")
    pdf.set_creation_date(WHEN)
    pdf.add_page()
    pdf.markdown(body)
    if italic:
        pdf.set_font(FONT, "I", 10)
        pdf.cell(0, 5, "Ωmega ½ ✓")
    return bytes(pdf.output())


def _embedded_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}


BODIES = [
    ("# First\n\nabc **bold** only", False),
    ("# Zweite\n\nÜberprüfung xyz *kursiv* — ½", True),
    ("# First\n\nabc **bold** only", False),
]


def test_cached_fonts_make_the_same_bytes_as_fonts_parsed_for_each_pdf(db):
    cached = [_render(ControlledPDF, body, italic=italic) for body, italic in BODIES]
    fresh = [_render(ParsedEachTime, body, italic=italic) for body, italic in BODIES]
    assert cached == fresh
    assert cached[0] == cached[2] != cached[1]  # nothing of the second stays in the third


def test_each_pdf_embeds_only_the_styles_it_uses(db):
    first, second, _ = (_render(ControlledPDF, body, italic=italic) for body, italic in BODIES)
    assert _embedded_fonts(first) == {"/MPDFAA+DejaVuSansBook", "/MPDFAA+DejaVuSansBold"}
    assert "/MPDFAA+DejaVuSansOblique" in _embedded_fonts(second)


def test_the_font_files_are_parsed_once_per_process(db):
    _render(ControlledPDF, "x")
    before = pdf_fonts.parsed.cache_info()
    _render(ControlledPDF, "y **z**")
    after = pdf_fonts.parsed.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
