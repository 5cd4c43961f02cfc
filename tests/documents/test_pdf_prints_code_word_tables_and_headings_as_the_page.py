"""The PDF prints what the page shows (walk finding 11, issue 10): a fenced code block in
the code face on a shaded box, a Word file's table with borders as a Markdown table has,
and Word's headings, its Title too, as Markdown's headings (black, not fpdf2's red)."""

import io
import re
import zipfile

from pypdf import PdfReader

from openqms.documents import actions
from openqms.documents.pdf import render_revision
from tests.documents.original_files import _CONTENT_TYPES, _RELS, _W


def _styles() -> str:
    names = {"Title": "Title", "Heading1": "heading 1"}
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
        for sid, name in names.items()
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{_W}">{styles}</w:styles>'


def _p(text: str, style: str = "") -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"


def word() -> bytes:
    """A Word file with a Title, a Heading 1, a paragraph and a 2×2 table."""
    cells = [["Role", "Duty"], ["QA", "Approves"]]
    table = (
        "<w:tbl>"
        + "".join(
            "<w:tr>" + "".join(f"<w:tc>{_p(c)}</w:tc>" for c in row) + "</w:tr>" for row in cells
        )
        + "</w:tbl>"
    )
    body = _p("Quality Policy", "Title") + _p("Scope", "Heading1") + _p("We make safe devices.")
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}">'
        f"<w:body>{body}{table}</w:body></w:document>"
    )
    openxml = "http://schemas.openxmlformats.org"
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="{openxml}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{openxml}/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    types = _CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/word/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr("word/styles.xml", _styles())
    return out.getvalue()


def _first_page(cast, draft, body: str, *, attach: bool = False):
    draft.body = body
    if attach:
        actions.attach_file(
            actor=cast.author, revision=draft, name="Policy.docx", content=io.BytesIO(word())
        )
    return PdfReader(io.BytesIO(render_revision(draft))).pages[0]


def _fonts(page) -> dict[str, tuple[str, float]]:
    """The font and size each line of text on `page` is set in."""
    found: dict[str, tuple[str, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            found.setdefault(text.strip(), (str(font["/BaseFont"]), size))

    page.extract_text(visitor_text=visit)
    return found


def test_a_fenced_code_block_prints_in_the_code_face_on_a_shaded_box(cast, draft):
    page = _first_page(cast, draft, "Intro\n\n```\nline one\n  indented two\n```\n\nAfter")
    stream = page.get_contents().get_data().decode("latin-1")
    shade = stream.index("0.9333 0.9333 0.9333 rg")
    box = re.search(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ re f", stream[shade:])
    assert box is not None and box.start() < 40
    fonts = _fonts(page)
    assert "DejaVuSansCondensed" in fonts["line one"][0]
    assert "DejaVuSansCondensed" not in fonts["Intro"][0]
    assert "line one\n  indented two" in page.extract_text()


def test_a_code_block_inside_a_list_still_prints(cast, draft):
    page = _first_page(cast, draft, "- Step\n\n  ```\n  code in a list\n  ```\n")
    assert "code in a list" in page.extract_text()


def test_a_word_table_has_borders_and_its_headings_print_as_markdown_headings(cast, draft):
    page = _first_page(cast, draft, "Body.", attach=True)
    stream = page.get_contents().get_data().decode("latin-1")
    word_part = stream[stream.index("16.00 Tf") :]  # from the Title, printed as a heading
    assert word_part.count(" l S") >= 8  # each of the four cells' edges
    assert not re.search(r"0\.\d+ 0 0 rg", stream)  # no dark-red headings
    fonts = _fonts(page)
    assert fonts["Quality Policy"][1] == 16  # the Word Title: as a Markdown "# "
    assert fonts["Scope"][1] == 16  # Heading 1
    assert fonts["We make safe devices."][1] == 10
