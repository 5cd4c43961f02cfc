"""One rule numbers documents (documents.numbering): the type's prefix, a hyphen and its
digits. A number with "/" (it made the document list answer 500 for everyone) is refused
by the import, the create page and the API alike, naming the field, writing nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from openqms.core import actions as core_actions
from openqms.documents.models import Document, DocumentType
from openqms.testing import event_count
from tests.documents.test_import import MANIFEST

pytestmark = pytest.mark.verifies("DOC-018", refusal=True)

PROBLEM = (
    "the number “SOP/001” does not fit the Procedure (SOP) numbering: "
    "SOP, a hyphen and 3 digit(s), e.g. SOP-001"
)


def test_the_import_refuses_it(cast, tmp_path):
    (tmp_path / "sop.md").write_text("Text", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST + "sop.md,SOP/001,Document control,procedure,A,,\n", encoding="utf-8"
    )
    before, err = event_count(), io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "documents", "import", str(tmp_path), "--owner", "qa-lead", "--dry-run",
            "--manifest", str(tmp_path / "manifest.csv"), stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert err.getvalue().splitlines() == [f"refused: manifest.csv line 2: {PROBLEM}"]
    assert not Document.objects.exists() and event_count() == before


def test_the_create_page_refuses_it_and_keeps_a_good_one(cast, signed_in):
    client = signed_in(cast.author)
    sop = DocumentType.objects.get(code="procedure")
    form = {"doc_type": sop.pk, "title": "Document control", "change_reason": "First issue"}
    before = event_count()
    page = client.post("/documents/new/", {**form, "number": "SOP/001"})
    assert page.status_code == 200
    assert PROBLEM[4:] in page.content.decode()
    assert not Document.objects.exists() and event_count() == before
    response = client.post("/documents/new/", {**form, "number": "sop-014"})
    assert response.status_code == 302
    assert Document.objects.get().number == "SOP-014"
    assert DocumentType.objects.get(pk=sop.pk).next_number == 15


def test_the_api_refuses_it(cast, client):
    token = core_actions.create_api_token(actor=cast.author, user=cast.author, name="t")[1]
    before = event_count()
    response = client.post(
        "/api/v1/documents",
        json.dumps({"type": "procedure", "title": "Document control", "number": "SOP/001"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "T" + PROBLEM[1:] + ".",
        "fields": {"number": "Not valid."},
    }
    assert not Document.objects.exists() and event_count() == before
