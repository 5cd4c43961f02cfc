"""Lists or quotes nested 40 levels deep are refused wherever a body is saved, with a
message naming the body, and nothing is written (issue 10: the PDF answered 500)."""

import io

import pytest
from django.core.management import CommandError, call_command

from openqms.core.errors import InvalidInput
from openqms.documents import actions
from openqms.documents.models import Document, Revision
from openqms.testing import event_count

pytestmark = pytest.mark.verifies("DOC-025")

DEEP_LIST = "".join("  " * level + f"- level {level}\n" for level in range(40))
DEEP_QUOTE = "> " * 40 + "quoted"
MESSAGE = (
    "The body nests lists or quotes more than 10 levels deep; "
    "use fewer levels (e.g. split it into sections)."
)


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_QUOTE])
def test_creating_a_document_with_a_too_deep_body_is_refused(cast, sop_type, body):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_document(actor=cast.author, doc_type=sop_type, title="Deep", body=body)
    assert str(refused.value) == MESSAGE
    assert refused.value.fields == {
        "body": "At most 10 levels of lists and quotes inside each other."
    }
    assert Document.objects.count() == 0 and event_count() == before


def test_saving_a_draft_with_a_too_deep_body_is_refused(cast, draft):
    before = event_count()
    with pytest.raises(InvalidInput, match="The body nests lists or quotes more than 10"):
        actions.edit_draft(
            actor=cast.author, revision=draft, body=DEEP_LIST, change_summary="", change_reason="r"
        )
    assert Revision.objects.get().body == draft.body and event_count() == before


def test_ten_levels_are_saved(cast, draft):
    body = "".join("  " * level + f"- level {level}\n" for level in range(10))
    saved = actions.edit_draft(
        actor=cast.author, revision=draft, body=body, change_summary="", change_reason="r"
    )
    assert saved.body == body


def test_the_editor_shows_the_message_beside_the_body(signed_in, cast, draft):
    form = {
        "body": DEEP_LIST,
        "change_summary": "",
        "change_reason": "r",
        "based_on": actions.draft_version(draft),
        "save": "",
    }
    page = signed_in(cast.author).post("/documents/SOP-001/A/edit/", form)
    assert page.status_code == 200
    assert "nests lists or quotes more than 10 levels deep" in page.content.decode()
    assert Revision.objects.get().body == draft.body


def test_an_import_of_a_too_deep_body_is_refused_and_names_the_file(cast, tmp_path):
    (tmp_path / "deep.md").write_text(DEEP_LIST, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,number,title,type,revision,effective_date,owner\n"
        "deep.md,SOP-050,Deep,procedure,A,,\n",
        encoding="utf-8",
    )
    before, err = event_count(), io.StringIO()
    with pytest.raises(CommandError, match=r"The real run would import nothing: 1 problem\(s\)"):
        call_command(
            "documents",
            "import",
            str(tmp_path),
            "--owner",
            "qa-lead",
            "--manifest",
            str(tmp_path / "manifest.csv"),
            "--dry-run",
            stderr=err,
        )
    assert "manifest.csv line 2: the Markdown nests lists or quotes more than 10" in err.getvalue()
    assert not Document.objects.exists() and event_count() == before
