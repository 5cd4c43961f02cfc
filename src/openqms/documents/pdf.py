"""Controlled PDFs of revisions, made with fpdf2 and the DejaVu fonts from PyPI (no system
libraries). Every page carries the number, title, revision, status and effective date,
and page x of y; copies downloaded to print say they are uncontrolled, by whom and when;
drafts and revisions no longer in force are watermarked; the last page shows each
signature's manifestation (21 CFR 11.50) and the content hash signed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import markdown
import nh3
from django.utils import timezone
from fpdf import FPDF

from openqms.core.models import User
from openqms.core.signatures import content_hash, manifestations
from openqms.documents.models import Revision, RevisionState

S = RevisionState
WATERMARKS = {
    S.DRAFT: "DRAFT",
    S.IN_REVIEW: "DRAFT — IN REVIEW",
    S.APPROVED: "NOT YET EFFECTIVE",
    S.SUPERSEDED: "SUPERSEDED",
    S.OBSOLETE: "OBSOLETE",
}
# What fpdf2's HTML writer renders; everything else is dropped before it sees it.
PDF_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "br",
    "code",
    "pre",
    "blockquote",
    "hr",
}


def font_dir() -> Path:
    spec = importlib.util.find_spec("rinoh_typeface_dejavusans")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The DejaVu fonts package (rinoh-typeface-dejavusans) is missing.")
    return Path(next(iter(spec.submodule_search_locations)))


class _ControlledPDF(FPDF):
    def __init__(self, revision: Revision, footer_note: str) -> None:
        super().__init__(format="A4")
        self.revision, self.footer_note = revision, footer_note
        fonts = font_dir()
        self.add_font("DejaVu", "", fonts / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", fonts / "DejaVuSans-Bold.ttf")
        self.add_font("DejaVu", "I", fonts / "DejaVuSans-Oblique.ttf")
        self.add_font("DejaVu", "BI", fonts / "DejaVuSans-BoldOblique.ttf")
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(18, 28, 18)

    def header(self) -> None:
        r, document = self.revision, self.revision.document
        self.set_y(10)
        self.set_font("DejaVu", "B", 10)
        self.cell(0, 5, f"{document.number}  {document.title}", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 8)
        effective = r.effective_date or (r.became_effective_at and r.became_effective_at.date())
        self.cell(
            0,
            5,
            f"Revision {r.label} · {r.get_state_display()} · effective {effective or 'not yet'}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.line(18, 24, 192, 24)
        mark = WATERMARKS.get(r.state)  # type: ignore[call-overload]
        if mark:
            self._watermark(mark)
        self.set_y(28)

    def _watermark(self, text: str) -> None:
        y = self.get_y()
        self.set_font("DejaVu", "B", 54)
        self.set_text_color(215, 215, 215)
        with self.rotation(45, x=105, y=150):
            self.text(105 - self.get_string_width(text) / 2, 150, text)
        self.set_text_color(0, 0, 0)
        self.set_y(y)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 5, self.footer_note, align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def render_revision(revision: Revision, *, printed_by: User | None = None) -> bytes:
    """The revision as a PDF; `printed_by` set means a copy downloaded to print."""
    now = timezone.localtime()
    if printed_by is None:
        note = "Controlled copy — the current version is in OpenQMS"
    else:
        note = (
            f"Uncontrolled when printed — printed {now:%Y-%m-%d %H:%M %Z} by {printed_by.full_name}"
        )
    pdf = _ControlledPDF(revision, note)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    html = nh3.clean(markdown.markdown(revision.body, extensions=["sane_lists"]), tags=PDF_TAGS)
    if html.strip():
        pdf.write_html(html, font_family="DejaVu")
    _signature_page(pdf, revision)
    return bytes(pdf.output())


def _signature_page(pdf: _ControlledPDF, revision: Revision) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Electronic signatures", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        f"Content SHA-256 of revision {revision.label}: "
        f"{content_hash(revision.signature_content())}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    shown = manifestations(revision)
    if not shown:
        pdf.cell(0, 6, "No signatures.", new_x="LMARGIN", new_y="NEXT")
    for m in shown:
        when = timezone.localtime(m.signed_at, timezone.get_fixed_timezone(0))
        status = "valid" if m.valid else f"BROKEN: {m.problem}"
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(0, 5, f"{m.printed_name} — {m.meaning_label}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(
            0,
            4,
            f"{when:%Y-%m-%d %H:%M:%S} UTC · revision {m.object_version} · "
            f"{status}\nSigned content SHA-256 {m.content_hash}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
