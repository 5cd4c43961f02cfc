"""The document page (the one the list links to) shows the revision in force as its
revision page does: an imported Word file's text, a PDF original's "Read" link and the
attachments to download; a legacy import says it was approved outside OpenQMS instead
of "No signatures yet" and shows no retraining decision."""

import io

from django.core.management import call_command

from openqms.documents import actions
from openqms.testing import named
from tests.documents.conftest import SIGN
from tests.documents.original_files import docx

MANIFEST = "file,number,title,type,revision,effective_date,owner,approval_ref\n"


def test_an_imported_documents_page_shows_its_original_files_and_legacy_approval(
    signed_in, cast, tmp_path
):
    (tmp_path / "policy.docx").write_bytes(docx("We make safe devices.", heading="Policy"))
    (tmp_path / "label.pdf").write_bytes(b"%PDF-1.4 label printing")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST + "policy.docx,POL-002,Quality policy,,C,2019-03-04,author,CR-2019-014\n"
        "label.pdf,WI-014,Label printing,,B,2019-03-04,author,CR-2019-014\n",
        encoding="utf-8",
    )
    call_command(
        "documents", "import", str(tmp_path), "--owner", "qa-lead",
        "--manifest", str(tmp_path / "manifest.csv"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    client = signed_in(cast.trainee)
    policy = client.get("/documents/POL-002/").content.decode()
    assert "We make safe devices." in policy
    assert 'href="/documents/POL-002/C/files/policy.docx"' in policy
    assert "No signatures yet" not in policy
    assert "Approved outside OpenQMS (paper approval CR-2019-014): no electronic signatures." in (
        policy
    )
    label = client.get("/documents/WI-014/").content.decode()
    assert "Read label.pdf in the browser" in label
    revision_page = client.get("/documents/WI-014/B/").content.decode()
    assert "No signatures yet" not in revision_page
    assert "<dt>Retraining</dt>" not in revision_page
    assert "Approved outside OpenQMS (paper approval CR-2019-014)" in revision_page


def test_a_documents_page_lists_the_attachments_of_the_revision_in_force(signed_in, cast, draft):
    actions.attach_file(
        actor=cast.author, revision=draft, name="FRM-010 Form.pdf",
        content=io.BytesIO(b"%PDF-1.4 the form template"),
    )  # fmt: skip
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    page = signed_in(cast.trainee).get("/documents/SOP-001/").content.decode()
    assert 'href="/documents/SOP-001/A/files/FRM-010%20Form.pdf" download>FRM-010 Form.pdf</a>' in (
        page
    )
    assert "Remove FRM-010 Form.pdf" not in page
