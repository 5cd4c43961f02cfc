"""Original files as content: an imported or attached PDF or Word file is the document a
person reads, so it is shown, searched and printed like a Markdown body (ISO 13485
4.2.4 d: the relevant version available at the point of use).

- Text for search: read once, when the file is attached or imported (`text_of`), bounded
  (TEXT_LIMIT) and cleaned of what no database engine stores; kept on the Attachment.
- On the page: a PDF original opens in the browser's own viewer (views/files.py serves
  it inline only when its bytes really are a PDF); a Word original is converted to HTML
  by mammoth and sanitised by nh3 (`docx_html`).
- In the controlled PDF (`add_to_pdf`): a Word original's converted text is written after
  the body; each page of a PDF original gets a page of its own, made by the controlled
  PDF itself, so the header, the footer with its copy note and "page x of y" (counting
  every page) and any watermark are on it; once the PDF is written, the original page
  is drawn under that stamp, scaled into the space between header and footer.

The original file stays the record (its SHA-256 is what review and approval sign); the
text and the conversions are derived from it and are never signed.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import cast

import mammoth
import nh3
from django.utils.safestring import SafeString, mark_safe
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    RectangleObject,
)

from openqms.core import files
from openqms.core.errors import InvalidInput
from openqms.core.models import StoredFile
from openqms.core.pdf import FONT, PDF_TAGS, ControlledPDF
from openqms.core.text import UNSTORABLE

log = logging.getLogger(__name__)

# About 60 pages of text: enough to find any document by its words, and small enough that
# PostgreSQL's tsvector of it stays far below its 1 MB limit whatever the words.
TEXT_LIMIT = 150_000
# A Word file is a zip, and mammoth unpacks and parses every text part of it (the
# document, styles, numbering, footnotes…): 83 KB of zip holding 80 MB of blank styles
# kept a worker busy for minutes. Before anything is unpacked, every member is checked:
# the text parts together, all members together, and each member's compression ratio
# (refused at attach, and never converted if already stored: `docx_problem`).
DOCX_TEXT_LIMIT = 25 * (1 << 20)  # all parts but the media (images are not read)
DOCX_TOTAL_LIMIT = 200 * (1 << 20)
DOCX_RATIO_LIMIT = 200  # a Word part compresses about 10:1; blanks 1000:1
DOCX_RATIO_FROM = 2 * (1 << 20)  # small parts may compress as they like
DOCX_MEMBERS_LIMIT = 5_000
# A PDF original gets a page of the controlled PDF for each of its pages, made on every
# view and archive export: at most this many original pages are printed in one controlled
# PDF, and an original with more pages is refused at attach (`pdf_problem`).
PDF_PAGE_LIMIT = 500
MM = 72 / 25.4  # points per millimetre
# Where an original page goes on its stamped page (mm): below the header rule and the
# caption, above the footer; ControlledPDF's margins.
AREA_TOP, AREA_BOTTOM, AREA_SIDE = 30, 22, 18
_PAGE_HTML_TAGS = nh3.ALLOWED_TAGS - {"img"}  # images stay in the original file


def kind(name: str, head: bytes) -> str:
    """Which kind of original, by the name and the first bytes: "pdf", "docx" or ""."""
    lower = name.lower()
    if lower.endswith(".pdf") and head.startswith(b"%PDF-"):
        return "pdf"
    if lower.endswith(".docx") and head.startswith(b"PK"):
        return "docx"
    return ""


def named(name: str) -> str:
    """The kind by the name alone: whether the bytes are worth reading."""
    return kind(name, b"%PDF-" if name.lower().endswith(".pdf") else b"PK")


def read_stored(stored: StoredFile) -> bytes:
    with files.open_stored(stored) as data:
        return data.read()


def _storable(text: str) -> str:
    text = UNSTORABLE.sub(" ", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()[:TEXT_LIMIT]


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # many PDFs are encrypted only to restrict printing
    parts, size = [], 0
    for page in itertools.islice(reader.pages, PDF_PAGE_LIMIT):
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= TEXT_LIMIT:
            break
    return "\n".join(parts)


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB"


def docx_problem(data: bytes) -> str | None:
    """Why a Word file is too large to unpack (a zip bomb, or absurdly large), or None.
    Python's zipfile never unpacks more than a member declares, so the declared sizes
    bound what mammoth reads. A damaged zip is not this check's business (None)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(members) > DOCX_MEMBERS_LIMIT:
        return f"it holds {len(members)} parts, more than {DOCX_MEMBERS_LIMIT}"
    total = sum(m.file_size for m in members)
    if total > DOCX_TOTAL_LIMIT:
        return f"it unpacks to {_mb(total)}, more than {_mb(DOCX_TOTAL_LIMIT)}"
    text = sum(m.file_size for m in members if not m.filename.startswith("word/media/"))
    if text > DOCX_TEXT_LIMIT:
        return f"its text parts unpack to {_mb(text)}, more than {_mb(DOCX_TEXT_LIMIT)}"
    for m in members:
        if m.file_size > DOCX_RATIO_FROM and m.file_size > DOCX_RATIO_LIMIT * max(
            m.compress_size, 1
        ):
            return (
                f"its part {m.filename} unpacks {m.file_size // max(m.compress_size, 1)} "
                f"times larger than it is stored (a zip bomb?)"
            )
    return None


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF original is too long to print in a controlled PDF, or None. A PDF that
    cannot be read is not this check's business (None)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        count = len(reader.pages)
    except Exception:  # damaged or locked: kept, just not read (text_of, add_to_pdf)
        return None
    if count > PDF_PAGE_LIMIT:
        return f"it has {count} pages, more than {PDF_PAGE_LIMIT}"
    return None


def original_problem(name: str, data: bytes) -> str | None:
    """Why an original would cost too much to read, show or print, or None."""
    match kind(name, data[:5]):
        case "pdf":
            return pdf_problem(data)
        case "docx":
            return docx_problem(data)
    return None


def check_original(name: str, data: bytes) -> None:
    """InvalidInput (field "file") for an original too large to read safely: at attach
    and import, before anything is written."""
    if problem := original_problem(name, data):
        raise InvalidInput(
            f"“{name}” cannot be kept as an original: {problem}. Split it, or attach it "
            "as a zip or another format that is kept without being read.",
            fields={"file": "Too large to read."},
        )


def _checked_docx(data: bytes) -> io.BytesIO:
    if problem := docx_problem(data):
        raise ValueError(f"the Word file is not converted: {problem}")
    return io.BytesIO(data)


def _docx_text(data: bytes) -> str:
    return mammoth.extract_raw_text(_checked_docx(data)).value


def text_of(name: str, data: bytes) -> str:
    """The searchable text of an original (PDF or Word), or "" for other files and for
    files that cannot be read (the file is kept all the same: it is the record)."""
    if problem := original_problem(name, data):
        log.warning("No text read from original %r: %s", name, problem)
        return ""
    try:
        match kind(name, data[:5]):
            case "pdf":
                return _storable(_pdf_text(data))
            case "docx":
                return _storable(_docx_text(data))
    except Exception as error:  # a damaged or unusual file: kept, just not searchable
        log.warning("No text read from original %r: %s", name, error)
    return ""


def text_of_stored(name: str, stored: StoredFile) -> str:
    """The text of an original being attached: InvalidInput if it is too large to read
    (`check_original`)."""
    if not named(name):
        return ""  # not a PDF or Word file by its name: its bytes are not even read
    data = read_stored(stored)
    check_original(name, data)
    return text_of(name, data)


# Word's own title styles read as headings, as Heading 1… do (mammoth's defaults).
_WORD_STYLES = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"


def _convert_docx(data: bytes) -> str:
    result = mammoth.convert_to_html(
        _checked_docx(data),
        # Images are not carried into the HTML (nor read): the original file has them.
        convert_image=mammoth.images.img_element(lambda image: {}),
        external_file_access=False,  # never follow a link to a file on the server
        style_map=_WORD_STYLES,
    )
    return result.value


@functools.lru_cache(maxsize=32)
def _docx_html_by_hash(sha256: str) -> str:
    """A Word original as HTML (unsanitised), by its content hash: the same bytes always
    convert the same way, so a conversion is kept for the next page view."""
    return _convert_docx(read_stored(StoredFile.objects.get(sha256=sha256)))


def docx_html(stored: StoredFile) -> SafeString | None:
    """A Word original as sanitised HTML for a page, or None if it cannot be converted."""
    try:
        html = _docx_html_by_hash(stored.sha256)
    except Exception as error:
        log.warning("Word original %s not converted: %s", stored.sha256, error)
        return None
    return mark_safe(nh3.clean(html, tags=_PAGE_HTML_TAGS))  # noqa: S308 - sanitised by nh3


@dataclass
class Shown:
    """An original on the revision page: a PDF to open in the browser, or a Word file's
    converted text (`html` None when it could not be converted)."""

    name: str
    kind: str
    html: SafeString | None = None


def for_page(revision) -> list[Shown]:
    shown = []
    for attachment in revision.attachments.select_related("stored_file").order_by("name"):
        found = named(attachment.name)
        if found == "pdf":
            shown.append(Shown(attachment.name, found))
        elif found == "docx":
            shown.append(Shown(attachment.name, found, docx_html(attachment.stored_file)))
    return shown


def _pdf_html(html: str) -> str:
    """HTML for fpdf2's writer: only the tags it renders; where it renders no tables,
    cells and rows keep a space and a line between them, so words do not run together."""
    if "table" not in PDF_TAGS:
        html = re.sub(r"</t[dh]>", " </td>", html)
        html = re.sub(r"</tr>", "<br></tr>", html)
    return nh3.clean(html, tags=PDF_TAGS)


# -- the controlled PDF -----------------------------------------------------------------


@dataclass
class Reserved:
    """A stamped page (its index in the written PDF) and the original page to draw under
    the stamp, with its content stream, read (and so checked) before the page was made."""

    index: int
    page: PageObject
    content: bytes


@dataclass
class Merge:
    """What is left to do once the controlled PDF is written: the pages of PDF originals
    to draw under their stamped pages, by the stamped page's index."""

    pages: list[Reserved] = field(default_factory=list)

    def __call__(self, pdf_bytes: bytes) -> bytes:
        return merge_into(pdf_bytes, self.pages)


def add_to_pdf(pdf: ControlledPDF, revision) -> Merge:
    """Write the revision's originals into `pdf` (a ControlledPDF, before its signature
    page): Word originals as converted text, PDF originals as stamped pages to merge.
    Call the returned Merge with the written bytes."""
    merge = Merge()
    attachments = revision.attachments.select_related("stored_file").order_by("name")
    for attachment in attachments:
        if not named(attachment.name):
            continue
        data = read_stored(attachment.stored_file)
        found = kind(attachment.name, data[:5])
        sha = attachment.stored_file.sha256
        if merge.pages and merge.pages[-1].index == pdf.page_no() - 1:
            pdf.add_page()  # the page in hand is an original's: nothing is written on it
        if found == "docx":
            _write_docx(pdf, attachment.name, sha, data)
        elif found == "pdf":
            room = PDF_PAGE_LIMIT - len(merge.pages)
            merge.pages += _reserve_pages(pdf, attachment.name, sha, data, room)
    return merge


def _caption(pdf: ControlledPDF, text: str) -> None:
    pdf.set_font(FONT, "", 7)
    pdf.set_y(25)
    pdf.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _write_docx(pdf: ControlledPDF, name: str, sha: str, data: bytes) -> None:
    pdf.section(f"Original file: {name}")
    pdf.multi_cell(
        0,
        4,
        f"Converted from Word for reading · SHA-256 {sha}",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    try:
        pdf.html(_pdf_html(_docx_html_by_hash(sha)))
    except Exception as error:  # an unusual file: its words still print, as plain text
        log.warning("Word original %s printed as plain text: %s", sha, error)
        pdf.set_font(FONT, "", 10)
        text = text_of(name, data) or (
            "This Word file could not be converted to print it here; "
            "it is kept in OpenQMS with the revision."
        )
        pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _content(page: PageObject) -> bytes:
    contents = page.get_contents()
    return contents.get_data() if contents is not None else b""


def _too_long(pdf: ControlledPDF, name: str, sha: str, count: int, room: int) -> list[Reserved]:
    """The note printed instead of an original whose pages do not fit the limit."""
    pdf.section(f"Original file: {name}")
    left = f"{room} page(s) left of the " if room < PDF_PAGE_LIMIT else ""
    pdf.multi_cell(
        0,
        5,
        f"This PDF (SHA-256 {sha}) has {count} pages, more than the {left}{PDF_PAGE_LIMIT} "
        "pages of originals printed in one controlled copy. It is not printed here; it is kept in "
        "OpenQMS with the revision: open it there.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return []


def _reserve_pages(
    pdf: ControlledPDF, name: str, sha: str, data: bytes, room: int = PDF_PAGE_LIMIT
) -> list[Reserved]:
    """A stamped page for each page of a PDF original; `room`: how many original pages
    this controlled PDF may still print (PDF_PAGE_LIMIT in all)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        count = len(reader.pages)
        if count > room:
            return _too_long(pdf, name, sha, count, room)
        pages = [(page, _content(page)) for page in reader.pages]
    except Exception as error:  # damaged, or locked with a password we do not have
        log.warning("PDF original %s not merged: %s", sha, error)
        pdf.section(f"Original file: {name}")
        pdf.multi_cell(
            0,
            5,
            f"This PDF (SHA-256 {sha}) could not be read to print it here; "
            "it is kept in OpenQMS with the revision.",
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return []
    reserved = []
    for number, (page, content) in enumerate(pages, start=1):
        box = page.cropbox
        turned = page.rotation % 180 == 90
        wide = (box.height if turned else box.width) > (box.width if turned else box.height)
        pdf.add_page(orientation="L" if wide else "P")
        _caption(pdf, f"Original file “{name}” · page {number} of {len(pages)} · SHA-256 {sha}")
        reserved.append(Reserved(pdf.page_no() - 1, page, content))
    return reserved


def merge_into(pdf_bytes: bytes, pages: list[Reserved]) -> bytes:
    """Draw each original page under the stamped page reserved for it (index into the
    written PDF), scaled to fit between header and footer. The original is placed as a
    form XObject (its content stream copied, not parsed), so a page costs little; its
    links and form fields are not carried over."""
    if not pages:
        return pdf_bytes
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes))
    for reserved in pages:
        try:
            _place(writer, writer.pages[reserved.index], reserved)
        except Exception as error:  # an unusual page: its stamped page keeps its caption
            log.warning("Page %s of an original not drawn: %s", reserved.index + 1, error)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_TURNS = {  # (a, b, c, d) of a page turned clockwise by its /Rotate, as PDF shows it
    0: (1, 0, 0, 1),
    90: (0, -1, 1, 0),
    180: (-1, 0, 0, -1),
    270: (0, 1, -1, 0),
}


def _matrix(original: PageObject, page_w: float, page_h: float) -> tuple[float, ...]:
    """The original page (its crop box, turned as its /Rotate says) scaled to fit between
    header and footer of a `page_w` × `page_h` page, centred."""
    box = original.cropbox
    left, bottom = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    turn = original.rotation % 360 if original.rotation % 90 == 0 else 0
    a, b, c, d = _TURNS[turn]
    # After turning, the page's lower-left corner is at the origin again:
    e, f = {0: (0, 0), 90: (0, w), 180: (w, h), 270: (h, 0)}[turn]
    e, f = e - a * left - c * bottom, f - b * left - d * bottom
    shown_w, shown_h = (h, w) if turn in (90, 270) else (w, h)
    area_w = page_w - 2 * AREA_SIDE * MM
    area_h = page_h - (AREA_TOP + AREA_BOTTOM) * MM
    scale = min(area_w / shown_w, area_h / shown_h)
    x = AREA_SIDE * MM + (area_w - shown_w * scale) / 2
    y = AREA_BOTTOM * MM + (area_h - shown_h * scale) / 2
    return (a * scale, b * scale, c * scale, d * scale, e * scale + x, f * scale + y)


def _place(writer: PdfWriter, target: PageObject, reserved: Reserved) -> None:
    original = reserved.page
    box = original.cropbox
    matrix = _matrix(original, float(target.mediabox.width), float(target.mediabox.height))
    form = DecodedStreamObject()
    form.set_data(reserved.content)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = RectangleObject(box)  # also clips to the original page
    resources = original.get("/Resources")
    form[NameObject("/Resources")] = (
        resources.get_object().clone(writer) if resources is not None else DictionaryObject()
    )
    name = NameObject("/OpenQMSOriginal")
    page_resources = cast(DictionaryObject, target["/Resources"].get_object())
    xobjects = page_resources.setdefault(NameObject("/XObject"), DictionaryObject())
    xobjects.get_object()[name] = writer._add_object(form.flate_encode())

    draw = DecodedStreamObject()
    numbers = " ".join(f"{v:.4f}" for v in matrix)
    draw.set_data(f"q {numbers} cm {name} Do Q\n".encode())
    stamp = target["/Contents"]  # fpdf2 writes one stream a page
    held = stamp.get_object()
    streams = list(held) if isinstance(held, ArrayObject) else [stamp]
    # The original first, the stamp (header, footer, watermark) drawn over it.
    target[NameObject("/Contents")] = ArrayObject([writer._add_object(draw), *streams])
