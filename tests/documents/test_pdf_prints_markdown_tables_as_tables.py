"""The controlled PDF lays out a Markdown table as a table: its text holds the cells,
never the pipes and dashes of the source (issue 10)."""

from openqms.core.text import render_markdown
from openqms.documents.models import Revision
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import flat, text

LONG = "Writes the draft and answers each review comment, however long and however many there were"
TABLE = f"""## Responsibilities

| Role | Task | Record |
|:-----|:----:|-------:|
| QA lead | Approves **every** SOP | QR-01 |
| Author | {LONG} | — |
| Trainee |  | QR-07 |
"""


def test_table_cells_are_printed_without_pipes(cast, draft):
    draft.body = TABLE
    printed = text(render_revision(draft))
    assert "|" not in printed and "---" not in printed
    assert "Role" in printed and "Task" in printed and "Record" in printed
    assert "QA lead" in printed and "Approves every SOP" in flat(printed)
    assert "however many there were" in flat(printed)  # a long cell wraps, whole
    assert "QR-07" in printed


def test_the_page_shows_the_same_table(cast, draft):
    html = str(render_markdown(TABLE))
    assert '<th align="left">Role</th>' in html
    assert '<td align="center">Approves <strong>every</strong> SOP</td>' in html
    assert '<td align="right">QR-07</td>' in html


def test_code_and_task_lists_print_in_any_script(cast, draft):
    draft.body = '- [x] Prüfung done\n- [ ] «next»\n\n```\nstatus = "é ✓"\n```\n'
    printed = text(render_revision(draft))
    assert "☑ Prüfung done" in printed and "☐ «next»" in printed
    assert 'status = "é ✓"' in printed


def test_on_the_page_a_table_scrolls_in_its_own_box(signed_in, cast, effective):
    Revision.objects.filter(pk=effective.pk).update(body=TABLE)
    html = signed_in(cast.trainee).get("/documents/SOP-001/A/").content.decode()
    assert '<div class="table-scroll" tabindex="0"><table>' in html
