"""A sub-list indented by two spaces nests under its item on the page, in the editor's
preview and in the PDF (CommonMark), instead of collapsing into one flat list."""

from openqms.core.text import render_markdown
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import x_of

BODY = "- Receive\n  - Inspect\n    - Record\n- Release\n"
NESTED = "<li>Receive\n<ul>\n<li>Inspect\n<ul>\n<li>Record</li>\n</ul>\n</li>\n</ul>\n</li>"


def test_the_page_nests_the_sub_list():
    assert NESTED in str(render_markdown(BODY))


def test_the_editor_preview_nests_the_sub_list(signed_in, cast, draft):
    form = {"body": BODY, "change_summary": "", "change_reason": "r", "preview": ""}
    page = signed_in(cast.author).post("/documents/SOP-001/A/edit/", form)
    assert NESTED in page.content.decode()


def test_the_pdf_indents_each_level(cast, draft):
    draft.body = BODY
    x = x_of(render_revision(draft), ["Receive", "Inspect", "Record", "Release"])
    assert x["Receive"] == x["Release"]
    assert x["Receive"] < x["Inspect"] < x["Record"]
