"""A revision's outputs through the pages: the PDF on screen and to print, files kept with a
draft, and the redline between two revisions."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from openqms.core.models import StoredFile
from openqms.documents import actions
from openqms.documents.models import Attachment
from openqms.testing import PASSWORD, changes_of, event_count, events_since, named

PDF = b"%PDF-1.4 a small test file " + b"x" * 100  # 127 bytes
SHA = hashlib.sha256(PDF).hexdigest()[:12]  # as the pages show it


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _attach(cast, revision, name="Flowchart.pdf", data=PDF):
    return actions.attach_file(
        actor=cast.author, revision=revision, name=name, content=io.BytesIO(data)
    )


def _upload(client, name="Flowchart.pdf", data=PDF, path="/documents/SOP-001/A/files/"):
    return client.post(path, {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.fixture
def revision_b(cast, effective):
    """SOP-001: A effective; B a draft by the author with new words and a new reason."""
    b = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Annual review"
    )
    return actions.edit_draft(
        actor=cast.author,
        revision=b,
        body="1. Purpose\n\nControl <b>all</b> records.",
        change_summary="Records too",
        change_reason="Annual review",
    )


# -- PDF ----------------------------------------------------------------------------------


def test_the_controlled_copy_opens_in_the_browser(signed_in, cast, effective):
    response = signed_in(cast.trainee).get("/documents/SOP-001/A/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="SOP-001-A.pdf"'
    text = _text(response.content)
    assert "Controlled copy — the current version is in OpenQMS" in text
    assert "Uncontrolled when printed" not in text and "Taylor Trainee" not in text


def test_a_copy_to_print_is_a_download_that_names_who_printed_it(signed_in, cast, effective):
    response = signed_in(cast.trainee).get("/documents/SOP-001/A/pdf/?print=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SOP-001-A.pdf"'
    text = _text(response.content)
    assert "Uncontrolled when printed" in text and "by Taylor Trainee" in text


def test_the_document_and_revision_pages_link_to_the_pdf(signed_in, cast, effective):
    client = signed_in(cast.trainee)
    for page in ("/documents/SOP-001/", "/documents/SOP-001/A/"):
        html = client.get(page).content.decode()
        assert '<a href="/documents/SOP-001/A/pdf/">Controlled copy (PDF)</a>' in html
        assert '<a href="/documents/SOP-001/A/pdf/?print=1">Download to print</a>' in html


def test_a_reader_gets_no_pdf_of_a_draft_they_may_not_see(signed_in, cast, revision_b):
    client = signed_in(cast.trainee)
    assert client.get("/documents/SOP-001/B/pdf/").status_code == 404
    assert client.get("/documents/SOP-001/B/pdf/?print=1").status_code == 404
    assert signed_in(cast.author).get("/documents/SOP-001/B/pdf/").status_code == 200


# -- files --------------------------------------------------------------------------------


def test_the_author_attaches_a_file_on_the_edit_page(signed_in, cast, draft):
    client = signed_in(cast.author)
    assert (
        'enctype="multipart/form-data"' in client.get("/documents/SOP-001/A/edit/").content.decode()
    )
    before = event_count()
    page = _upload(client)
    assert page.redirect_chain == [("/documents/SOP-001/A/edit/", 302)]
    html = page.content.decode()
    assert "Attached “Flowchart.pdf”; it is signed with the revision." in html
    assert ">Remove</button>" in html
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.stored_file.sha256[:12]) == ("Flowchart.pdf", SHA)
    [event] = events_since(before)
    assert event.action == "documents.attachment.added"
    assert changes_of(event)["attachment"] == [None, "Flowchart.pdf"]


def test_the_revision_page_lists_the_files_and_each_downloads(signed_in, cast, draft):
    full = _attach(cast, draft).stored_file.sha256
    client = signed_in(cast.author)
    html = client.get("/documents/SOP-001/A/").content.decode()
    link = '<a href="/documents/SOP-001/A/files/Flowchart.pdf" download>Flowchart.pdf</a>'
    assert link in html
    assert f'127\xa0bytes · SHA-256 <span class="hash" title="{full}">{SHA}…</span>' in html
    response = client.get("/documents/SOP-001/A/files/Flowchart.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Flowchart.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_a_file_with_spaces_in_its_name_downloads(signed_in, cast, draft):
    _attach(cast, draft, name="Process flow v2.pdf")
    client = signed_in(cast.author)
    html = client.get("/documents/SOP-001/A/").content.decode()
    assert 'href="/documents/SOP-001/A/files/Process%20flow%20v2.pdf"' in html
    response = client.get("/documents/SOP-001/A/files/Process%20flow%20v2.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="Process flow v2.pdf"'


def test_the_author_removes_a_file_from_the_draft(signed_in, cast, draft):
    _attach(cast, draft)
    before = event_count()
    page = signed_in(cast.author).post(
        "/documents/SOP-001/A/files/Flowchart.pdf/remove/", follow=True
    )
    assert "Removed “Flowchart.pdf”." in page.content.decode()
    assert not Attachment.objects.exists()
    assert [e.action for e in events_since(before)] == ["documents.attachment.removed"]


def test_a_file_of_a_type_not_allowed_is_refused_with_a_message(signed_in, cast, draft, settings):
    settings.FILE_TYPES = {"pdf", "png"}
    before = event_count()
    page = _upload(signed_in(cast.author), name="tool.exe")
    assert (
        "“tool.exe”: files of this type are not accepted (allowed: pdf, png)."
        in page.content.decode()
    )
    assert not Attachment.objects.exists() and not StoredFile.objects.exists()
    assert event_count() == before


def test_a_file_too_large_is_refused_and_nothing_is_stored(signed_in, cast, draft, settings):
    settings.FILE_MAX_BYTES = 1 << 20
    before = event_count()
    page = _upload(signed_in(cast.author), data=b"x" * ((1 << 20) + 1))
    assert "The file is larger than 1 MB." in page.content.decode()
    assert not Attachment.objects.exists() and not StoredFile.objects.exists()
    assert event_count() == before


def test_an_empty_upload_is_refused(signed_in, cast, draft):
    before = event_count()
    page = _upload(signed_in(cast.author), data=b"")
    assert "Nothing was attached. Add a file: The submitted file is empty." in page.content.decode()
    assert not Attachment.objects.exists() and event_count() == before


def test_files_cannot_be_added_or_removed_once_in_review(signed_in, cast, draft):
    _attach(cast, draft)
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    client = signed_in(cast.author)
    assert "Attach file" not in client.get("/documents/SOP-001/A/").content.decode()
    before, stored = event_count(), StoredFile.objects.count()
    page = _upload(client, name="More.pdf", data=b"%PDF-1.4 more")
    assert page.redirect_chain == [("/documents/SOP-001/A/", 302)]
    html = page.content.decode()
    assert "Only the author changes a draft&#x27;s files, and only while it is a draft." in html
    page = client.post("/documents/SOP-001/A/files/Flowchart.pdf/remove/", follow=True)
    assert "Files can be attached to or removed from a draft only." in page.content.decode()
    assert list(Attachment.objects.values_list("name", flat=True)) == ["Flowchart.pdf"]
    assert StoredFile.objects.count() == stored and event_count() == before


def test_someone_else_cannot_change_the_files_of_a_draft(signed_in, cast, draft):
    _attach(cast, draft)
    client = signed_in(cast.qa_lead)  # sees every draft, edits only their own
    before = event_count()
    page = _upload(client, name="More.pdf", data=b"%PDF-1.4 more")
    assert "Only the author changes a draft&#x27;s files" in page.content.decode()
    page = client.post("/documents/SOP-001/A/files/Flowchart.pdf/remove/", follow=True)
    assert "Only the author changes their draft." in page.content.decode()
    assert Attachment.objects.count() == 1 and event_count() == before


def test_a_missing_file_is_not_found(signed_in, cast, draft):
    client = signed_in(cast.author)
    assert client.get("/documents/SOP-001/A/files/Nothing.pdf").status_code == 404
    assert client.post("/documents/SOP-001/A/files/Nothing.pdf/remove/").status_code == 404


def test_a_reader_cannot_download_the_files_of_a_draft(signed_in, cast, revision_b):
    _attach(cast, revision_b)
    client = signed_in(cast.trainee)
    assert client.get("/documents/SOP-001/B/files/Flowchart.pdf").status_code == 404
    assert (
        signed_in(cast.auditor).get("/documents/SOP-001/B/files/Flowchart.pdf").status_code == 200
    )


# -- redline ------------------------------------------------------------------------------


def test_the_redline_marks_removed_and_added_words(signed_in, cast, revision_b):
    page = signed_in(cast.author).get("/documents/SOP-001/compare/?old=A&new=B")
    html = page.content.decode()
    assert "Revision A → revision B" in html
    # The text is escaped: markup in a body shows as text, never as HTML.
    assert (
        '<div class="redline">1. Purpose\n\nControl <del>documents.</del>'
        "<ins>&lt;b&gt;all&lt;/b&gt; records.</ins></div>"
    ) in html
    assert "<tr><td>State</td><td><del>effective</del></td><td><ins>draft</ins></td></tr>" in html
    assert (
        "<tr><td>Change reason</td><td><del>New procedure</del></td>"
        "<td><ins>Annual review</ins></td></tr>"
    ) in html


def test_the_redline_shows_a_file_added(signed_in, cast, revision_b):
    _attach(cast, revision_b)
    html = signed_in(cast.author).get("/documents/SOP-001/compare/?old=A&new=B").content.decode()
    full = hashlib.sha256(PDF).hexdigest()
    assert (
        "<tr><td>Flowchart.pdf</td><td>added</td>\n        <td>—</td>\n"
        f'        <td><ins>SHA-256 <span class="hash">{full}</span></ins></td></tr>'
    ) in html


def test_the_comparison_opens_on_the_two_newest_revisions(signed_in, cast, revision_b):
    html = signed_in(cast.author).get("/documents/SOP-001/compare/").content.decode()
    assert "Revision A → revision B" in html
    assert '<option value="A" selected>A</option>' in html


def test_the_revision_page_links_to_the_comparison_with_the_previous_one(
    signed_in, cast, revision_b
):
    client = signed_in(cast.author)
    html = client.get("/documents/SOP-001/B/").content.decode()
    assert (
        '<a href="/documents/SOP-001/compare/?old=A&amp;new=B">'
        "Compare with the previous revision</a> (A)"
    ) in html
    assert (
        "Compare with the previous revision"
        not in client.get("/documents/SOP-001/A/").content.decode()
    )


def test_a_reader_who_sees_one_revision_has_nothing_to_compare(signed_in, cast, revision_b):
    html = signed_in(cast.trainee).get("/documents/SOP-001/compare/?old=A&new=B").content.decode()
    assert "There is only one revision you may see; there is nothing to compare." in html
    assert "records." not in html and "<ins>" not in html


def test_an_unknown_revision_is_refused_by_its_label(signed_in, cast, revision_b):
    html = signed_in(cast.author).get("/documents/SOP-001/compare/?old=A&new=Z").content.decode()
    assert "There is no revision “Z” of this document you may see." in html
    assert "<ins>" not in html


def test_a_revision_is_not_compared_with_itself(signed_in, cast, revision_b):
    html = signed_in(cast.author).get("/documents/SOP-001/compare/?old=B&new=B").content.decode()
    assert "Choose two different revisions." in html and "<ins>" not in html


# -- who reaches these pages --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/documents/SOP-001/A/pdf/",
        "/documents/SOP-001/A/pdf/?print=1",
        "/documents/SOP-001/A/files/Flowchart.pdf",
        "/documents/SOP-001/compare/",
        "/documents/SOP-001/compare/?old=A&new=B",
    ],
)
def test_outsider_gets_not_found_on_every_files_page(signed_in, cast, revision_b, path):
    _attach(cast, revision_b)
    assert signed_in(cast.outsider).get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/documents/SOP-001/B/files/", "/documents/SOP-001/B/files/Flowchart.pdf/remove/"]
)
def test_outsider_changes_no_file_by_posting(signed_in, cast, revision_b, path):
    _attach(cast, revision_b)
    before, stored = event_count(), StoredFile.objects.count()
    response = signed_in(cast.outsider).post(
        path, {"file": SimpleUploadedFile("Other.pdf", b"%PDF other"), "password": PASSWORD}
    )
    assert response.status_code == 404
    assert list(Attachment.objects.values_list("name", flat=True)) == ["Flowchart.pdf"]
    assert StoredFile.objects.count() == stored and event_count() == before
