"""The PDF kit every module's controlled output uses, made with fpdf2 and the DejaVu fonts
from PyPI (rinoh-typeface-dejavusans: no system libraries, any script). A `ControlledPDF`
carries a two-line header, a footer with the copy's status line, the OpenQMS version and
page x of y, and an optional watermark; `signature_page` lists each signature's
manifestation (21 CFR 11.50: printed name, time in the instance's zone and UTC, meaning)
with the content hash signed. Markdown is laid out from the HTML of core.text's one
renderer (pdf_html.py fits it to what fpdf2's HTML writer lays out).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import FontFace, TextStyle

import openqms
from openqms.core import pdf_fonts
from openqms.core.instance import is_demo_database
from openqms.core.models import User
from openqms.core.pdf_html import fpdf_html, split_code_blocks
from openqms.core.signatures import Manifestation, Signable, content_hash, manifestations
from openqms.core.text import TOO_DEEP_NOTE, markdown_html, too_deep

FONT = "DejaVu"
_FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
# Code: the fonts package has no monospaced DejaVu, and fpdf2's Courier knows no "☐" or "é"
# beyond Latin-1; the condensed DejaVu sets code apart and has every character the body
# font has, and a code block is printed in a shaded box, as the pages show it.
CODE_FONT = "DejaVuCondensed"
_CODE_FONT_FILES = {
    "": "DejaVuSansCondensed.ttf",
    "B": "DejaVuSansCondensed-Bold.ttf",
    "I": "DejaVuSansCondensed-Oblique.ttf",
    "BI": "DejaVuSansCondensed-BoldOblique.ttf",
}
_FAMILIES = {FONT.lower(): (FONT, _FONT_FILES), CODE_FONT.lower(): (CODE_FONT, _CODE_FONT_FILES)}
_TAG_STYLES = {
    "code": FontFace(family=CODE_FONT),
    "pre": TextStyle(font_family=CODE_FONT, t_margin=3, b_margin=2),
    "blockquote": TextStyle(color="#444444", l_margin=6, t_margin=2, b_margin=2),
    **{
        f"h{n}": TextStyle(color="#000000", font_size_pt=size, t_margin=4, b_margin=1)
        for n, size in ((1, 16), (2, 14), (3, 12), (4, 11), (5, 10), (6, 10))
    },
}
# What fpdf2's HTML writer renders; everything else is dropped before it sees it.
PDF_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "a",
    "del",
    "s",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
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


@functools.cache
def font_dir() -> Path:
    spec = importlib.util.find_spec("rinoh_typeface_dejavusans")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The DejaVu fonts package (rinoh-typeface-dejavusans) is missing.")
    return Path(next(iter(spec.submodule_search_locations)))


def local_time(value: dt.datetime | None) -> str:
    """A moment in the instance's time zone, named (OPENQMS_TIME_ZONE), then in UTC:
    "2026-07-01 00:30:00 BST (2026-06-30 23:30:00 UTC)"."""
    if value is None:
        return "—"
    here = timezone.localtime(value)
    return f"{here:%Y-%m-%d %H:%M:%S %Z} ({value.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC)"


def copy_note(printed_by: User | None, *, in_force: bool = True, status: str = "") -> str:
    """The status line of a copy. Only what is in force is a controlled copy, and only on
    screen: printed, it is uncontrolled (whose print, and when). Anything else (a draft,
    a revision in review, approved but not yet effective, superseded, obsolete) says what
    it is, `status`, and is for reference only (ISO 13485 4.2.4 g)."""
    now = timezone.localtime()
    printed = f"printed {now:%Y-%m-%d %H:%M %Z} by {printed_by.full_name}" if printed_by else ""
    if not in_force:
        what = f"{status} — not in force" if status else "Not in force"
        return f"{what}; for reference only{f' — {printed}' if printed else ''}"
    if printed:
        return f"Uncontrolled when printed — {printed}"
    return "Controlled copy — the current version is in OpenQMS"


# The moment an archive export took its snapshot: every rendering in one archive carries
# it (not the minute each page happened to be drawn), in this process and in the workers.
_archive_moment: ContextVar[dt.datetime | None] = ContextVar("archive_moment", default=None)


@contextmanager
def archive_moment(moment: dt.datetime) -> Iterator[None]:
    """Date every `archive_note` made inside the block `moment`."""
    token = _archive_moment.set(moment)
    try:
        yield
    finally:
        _archive_moment.reset(token)


def archive_moment_now() -> dt.datetime:
    """The archive's moment inside `archive_moment`, else now."""
    return _archive_moment.get() or timezone.now()


def set_archive_moment(moment: dt.datetime) -> None:
    """For a render worker's whole life (core.archive.render_worker.start)."""
    _archive_moment.set(moment)


def archive_note() -> str:
    """The status line of a rendering inside an archive (`openqms archive export`): read
    away from the system, so never a controlled copy, and dated with the moment the
    export took its snapshot (or now, outside an export)."""
    now = timezone.localtime(archive_moment_now())
    return f"Archive rendering, made {now:%Y-%m-%d %H:%M %Z}: for reference, not a controlled copy"


def generated_note(generated_by: User) -> str:
    """The status line of a record generated from the system (a report, not a document)."""
    return (
        f"Generated {local_time(timezone.now())} by {generated_by.full_name} — the current "
        "record is "
        "in OpenQMS; uncontrolled when printed"
    )


class ControlledPDF(FPDF):
    """Every page: `title` (bold) and `subtitle` above a rule, `note` and the version at the
    foot with page x of y, and `watermark` (if any) across the page."""

    font_cache = True  # False: parse the font files again for this PDF (for comparisons)

    def __init__(
        self,
        *,
        title: str,
        subtitle: str,
        note: str,
        watermark: str = "",
        landscape: bool = False,
        margin: int = 18,
    ) -> None:
        super().__init__(orientation="landscape" if landscape else "portrait", format="A4")
        self.title_line, self.subtitle, self.note, self.watermark = (
            title,
            subtitle,
            note,
            watermark,
        )
        if is_demo_database():  # a demo's PDFs must not pass for real records either
            self.note = f"DEMO INSTANCE — not a real quality record · {note}"
        # Fonts are added on first use (set_font), so a PDF embeds only the styles it uses.
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(margin, 28, margin)
        self.alias_nb_pages()

    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        """fpdf2's set_font, adding a DejaVu style the first time it is used: each font
        a PDF carries costs a subset of it when written (most documents use no italics)."""
        letters = style.style if isinstance(style, TextEmphasis) else style.upper()
        key = "".join(sorted(c for c in letters if c in "BI"))
        name, files = _FAMILIES.get((family or self.font_family).lower(), ("", {}))
        if files and name.lower() + key not in self.fonts:
            path = font_dir() / files[key]
            if self.font_cache:
                pdf_fonts.add_font(self, name, key, path)
            else:
                self.add_font(name, key, path)
        super().set_font(family, style, size)

    def describe(self, *, title: str, subject: str, author: str) -> None:
        """The PDF's own metadata (what a file viewer's "Properties" shows)."""
        self.set_title(title)
        self.set_subject(subject)
        self.set_author(author)
        self.set_creator(f"OpenQMS {openqms.__version__}")

    def header(self) -> None:
        self.set_y(10)
        self.set_font(FONT, "B", 10)
        self.cell(0, 5, self.title_line, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8)
        self.cell(0, 5, self.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, 24, self.w - self.r_margin, 24)
        if self.watermark:
            self._watermark(self.watermark)
        self.set_y(28)

    def _watermark(self, text: str) -> None:
        y = self.get_y()
        x, middle = self.w / 2, self.h / 2
        self.set_font(FONT, "B", 54)
        self.set_text_color(215, 215, 215)
        with self.rotation(45, x=x, y=middle):
            self.text(x - self.get_string_width(text) / 2, middle, text)
        self.set_text_color(0, 0, 0)
        self.set_y(y)

    def footer(self) -> None:
        # The note on a line of its own: a long one ("Not in force — for reference only…")
        # would run into the page number beside it.
        self.set_y(-18)
        self.set_font(FONT, "", 7)
        self.cell(0, 5, self.note, align="L", new_x="LMARGIN", new_y="NEXT")
        self.cell(
            0, 5, f"OpenQMS {openqms.__version__} · Page {self.page_no()} of {{nb}}", align="R"
        )

    def markdown(self, text: str) -> None:
        """Markdown body text, from the HTML the pages show (only what fpdf2's HTML writer
        renders survives); a body too deep to lay out is printed as written, after a note."""
        html = markdown_html(text, tags=PDF_TAGS)
        if too_deep(html):
            self.as_written(text, note=TOO_DEEP_NOTE)
        elif html.strip():
            self.html(html)

    def html(self, sanitised: str) -> None:
        """HTML sanitised to PDF_TAGS (a Markdown body, a converted Word file) laid out as
        the pages show it: tables with borders, headings in the body's colour, and each
        code block outside a list, quote or table in a shaded box."""
        for kind, part in split_code_blocks(fpdf_html(sanitised)):
            if kind == "code":
                self.code_block(part)
            else:
                self.set_font(FONT, "", 10)
                self.write_html(part, font_family=FONT, tag_styles=_TAG_STYLES)

    def code_block(self, text: str) -> None:
        """Code as typed (its line breaks and spaces kept), on a light grey box."""
        self.ln(2)
        self.set_font(CODE_FONT, "", 9)
        self.set_fill_color(238, 238, 238)
        self.multi_cell(
            0, 4.5, text, fill=True, padding=2, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_fill_color(255, 255, 255)
        self.ln(2)

    def as_written(self, text: str, *, note: str) -> None:
        """`text` line by line as typed, after `note` in italics: for what cannot be laid out."""
        self.set_font(FONT, "I", 9)
        self.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(CODE_FONT, "", 9)
        self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")

    def section(self, title: str) -> None:
        if self.will_page_break(24):  # no heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 11)
        self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8)

    def grid(self, widths: Sequence[int], heading: Sequence[str], rows: list[Sequence]) -> None:
        if not rows:
            self.cell(0, 5, "None.", new_x="LMARGIN", new_y="NEXT")
            return
        with self.table(
            col_widths=widths, text_align="LEFT", line_height=4, width=sum(widths), align="LEFT"
        ) as table:
            table.row(list(heading))
            for values in rows:
                table.row([str(v) for v in values])


def signed_by(m: Manifestation) -> str:
    """Who signed, with what meaning (the first line of a manifestation)."""
    return f"{m.printed_name} — {m.meaning_label}"


def signature_status(m: Manifestation) -> str:
    """ "valid"; "voided — <reason>" for one voided on purpose (a revision returned to
    draft); "earlier version — …" for one of a version the record has moved on from;
    "BROKEN: …" only where the record fails its check (tampering)."""
    if m.broken:
        return f"BROKEN: {m.broken}"
    if m.earlier:
        return f"earlier version — {m.earlier}"
    if m.voided is not None:
        return f"voided — {m.voided}"
    return "valid"


def signed_how(m: Manifestation) -> str:
    """When, which version, whether it still verifies, the signer's comment and the
    content hash signed."""
    return (
        f"{local_time(m.signed_at)} · version {m.object_version} · {signature_status(m)}\n"
        + (f"Comment: “{m.comment}”\n" if m.comment else "")
        + f"Signed content SHA-256 {m.content_hash}"
    )


def signed_text(shown: Sequence[Manifestation]) -> str:
    """Manifestations as plain text, for a table cell."""
    return "\n".join(f"{signed_by(m)}\n{signed_how(m)}" for m in shown) or "—"


def signature_page(pdf: ControlledPDF, obj: Signable, *, label: str, note: str = "") -> None:
    """A page listing every signature of `obj`'s current version, after the content hash
    of what is signed now (so a reader can compare them). `note` says how the record was
    approved where that was not by signing here (a legacy import's paper approval); it is
    shown instead of "No signatures."."""
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, "Electronic signatures", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        5,
        f"Content SHA-256 of {label}: {content_hash(obj.signature_content())}",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    shown = manifestations(obj)
    if note:
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(0, 5, note, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif not shown:
        pdf.cell(0, 6, "No signatures.", new_x="LMARGIN", new_y="NEXT")
    for m in shown:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(0, 5, signed_by(m), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, signed_how(m), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
