"""A sub-list indented two spaces under a numbered item ("1. Prepare" / "  - Clean") nests
under it, as the editor's hint promises, on the page, in the preview and in the PDF;
CommonMark alone needs three spaces there (walk finding 4, issue 10)."""

from openqms.core.text import nest_two_space_sub_lists, render_markdown
from openqms.documents import actions
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import x_of

BODY = "1. Prepare\n  - Clean\n  - Check\n    - Gauge\n2. Run\n  - Record\n"
NESTED = (
    "<ol>\n<li>Prepare\n<ul>\n<li>Clean</li>\n<li>Check\n<ul>\n<li>Gauge</li>\n</ul>\n</li>\n"
    "</ul>\n</li>\n<li>Run\n<ul>\n<li>Record</li>\n</ul>\n</li>\n</ol>"
)


def test_the_page_nests_the_sub_list_in_one_numbered_list():
    assert str(render_markdown(BODY)).strip() == NESTED


def test_the_editor_preview_nests_it(signed_in, cast, draft):
    form = {
        "body": BODY,
        "change_summary": "",
        "change_reason": "r",
        "based_on": actions.draft_version(draft),
        "preview": "",
    }
    page = signed_in(cast.author).post("/documents/SOP-001/A/edit/", form)
    assert NESTED in page.content.decode()


def test_the_pdf_indents_it_under_its_item(cast, draft):
    draft.body = BODY
    x = x_of(render_revision(draft), ["Prepare", "Clean", "Check", "Gauge", "Run", "Record"])
    assert x["Prepare"] == x["Run"]
    assert x["Clean"] == x["Check"] == x["Record"]
    assert x["Prepare"] < x["Clean"] < x["Gauge"]


def test_a_wider_number_and_a_numbered_sub_list_nest_too():
    body = "10. Ten\n  1. Inner\n    - Innermost\n"
    assert nest_two_space_sub_lists(body) == "10. Ten\n    1. Inner\n       - Innermost\n"
    html = str(render_markdown(body))
    assert html.count("<ol") == 2 and html.index("Innermost") > html.index("<ul>")


def test_three_spaces_already_nest_and_are_kept_as_written():
    body = "1. Prepare\n   - Clean\n2. Run\n"
    assert nest_two_space_sub_lists(body) == body


def test_fenced_code_and_bullet_lists_are_left_alone():
    body = "```\n1. Not a list\n  - kept as typed\n```\n\n- Bullet\n  - nested\n\nText\n  - x\n"
    assert nest_two_space_sub_lists(body) == body
    assert "<pre><code>1. Not a list\n  - kept as typed\n</code></pre>" in str(
        render_markdown(body)
    )
