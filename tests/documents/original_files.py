"""Real original files made at test time: a minimal Word file (the three parts a .docx
needs, zipped by hand) and PDFs made with fpdf2."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from fpdf import FPDF

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(*paragraphs: str, heading: str = "") -> bytes:
    """A Word file: an optional Heading 1, then the paragraphs."""
    body = ""
    if heading:
        body += (
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
            f"<w:r><w:t>{escape(heading)}</w:t></w:r></w:p>"
        )
    body += "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document)
    return out.getvalue()


def pdf(pages: int, words: str = "Legacy original", *, landscape: bool = False) -> bytes:
    """A PDF of `pages` pages, each saying "<words> page N"."""
    doc = FPDF(orientation="landscape" if landscape else "portrait", format="A4")
    doc.set_font("helvetica", size=14)
    for n in range(1, pages + 1):
        doc.add_page()
        doc.cell(0, 10, f"{words} page {n}")
    return bytes(doc.output())
