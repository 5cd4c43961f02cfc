"""A Word original is content: its words are found by search, printed in the controlled
PDF and shown on the revision page (converted by mammoth, sanitised by nh3)."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from openqms.documents import actions
from openqms.documents.models import Attachment, Revision
from openqms.documents.pdf import render_revision
from openqms.documents.search import search_documents
from tests.documents.original_files import docx

WORDS = ("Calibrate the torque wrench every month.", "Record the wrench serial number.")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def imported(cast, tmp_path):
    """WI-001 "Torque wrench calibration", imported from a Word file with no body."""
    (tmp_path / "Torque wrench calibration.docx").write_bytes(
        docx(*WORDS, heading="Torque wrench calibration")
    )
    call_command(
        "documents",
        "import",
        str(tmp_path),
        "--owner",
        "qa-lead",
        "--type",
        "work_instruction",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return Revision.objects.get()


def test_an_imported_word_files_words_are_found_by_search(cast, imported):
    assert Attachment.objects.get().text == (
        "Torque wrench calibration\n\nCalibrate the torque wrench every month.\n\n"
        "Record the wrench serial number."
    )
    for person in (cast.trainee, cast.qa_lead):  # an effective revision: everyone reads it
        assert [d.number for d in search_documents(person, "serial number")] == ["WI-001"]
    assert list(search_documents(cast.outsider, "serial number")) == []


def test_an_imported_word_files_words_are_printed_in_the_controlled_pdf(imported):
    text = _text(render_revision(imported))
    assert "Original file: Torque wrench calibration.docx" in text
    assert "Calibrate the torque wrench every month." in text
    assert "Record the wrench serial number." in text


def test_an_imported_word_file_is_shown_on_the_revision_page(signed_in, cast, imported):
    html = signed_in(cast.trainee).get("/documents/WI-001/A/").content.decode()
    assert "<h1>Torque wrench calibration</h1>" in html
    assert "<p>Calibrate the torque wrench every month.</p>" in html
    assert "No content yet." not in html
    assert "Converted from Word for reading" in html


def test_a_word_file_attached_to_a_draft_is_searchable_for_its_author_only(cast, draft):
    actions.attach_file(
        actor=cast.author,
        revision=draft,
        name="Annex.docx",
        content=io.BytesIO(docx("Sterilise the trays at 134 degrees.")),
    )
    assert [d.number for d in search_documents(cast.author, "sterilise trays")] == ["SOP-001"]
    assert list(search_documents(cast.trainee, "sterilise trays")) == []  # a draft
    assert "Sterilise the trays at 134 degrees." in _text(render_revision(draft))


def test_markup_in_a_word_file_reaches_the_page_as_text(signed_in, cast, draft):
    actions.attach_file(
        actor=cast.author,
        revision=draft,
        name="Annex.docx",
        content=io.BytesIO(docx('<script>alert("x")</script> & <b>bold</b>')),
    )
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>' in html
    assert '<script>alert("x")' not in html


def test_a_damaged_word_file_is_kept_and_the_pages_still_answer(signed_in, cast, draft):
    actions.attach_file(
        actor=cast.author, revision=draft, name="Broken.docx", content=io.BytesIO(b"PK not a zip")
    )
    assert Attachment.objects.get().text == ""
    html = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert "This Word file could not be converted for reading here." in html
    printed = " ".join(_text(render_revision(draft)).split())
    assert "Original file: Broken.docx" in printed
    assert "This Word file could not be converted to print it here" in printed
