"""Issue 10 walk, in Chromium: attaching a file with unsaved text in the editor asks
before the page reloads (the text was lost without warning); saving does not ask; and a
revision in review, with its comment form, fits a 390 px screen (it was 407 px wide)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from openqms.documents import actions
from openqms.documents.models import DocumentType, Revision
from openqms.testing import make_cast, named
from tests.browser.test_document_journey import sign_in


def test_attaching_a_file_with_unsaved_text_asks_first(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, tmp_path
):
    cast = make_cast()
    actions.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title="Cleaning of equipment",
        body="# Cleaning",
    )
    form = tmp_path / "Form.pdf"
    form.write_bytes(b"%PDF-1.4 the form")
    sign_in(page, "author")
    page.goto("/documents/SOP-001/A/edit/")
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    content = page.get_by_label("Content (Markdown)")
    content.click()
    page.keyboard.press("End")
    page.keyboard.type("\n\nWipe with water.")
    page.get_by_label("Add a file").set_input_files(str(form))
    page.get_by_role("button", name="Attach file").click()
    expect(content).to_have_value("# Cleaning\n\nWipe with water.")
    assert asked == ["beforeunload"]
    assert not Revision.objects.get().attachments.exists()  # nothing was sent

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert asked == ["beforeunload"]  # saving the text itself does not ask
    assert Revision.objects.get().body.replace("\r\n", "\n") == "# Cleaning\n\nWipe with water."


def test_a_revision_in_review_with_its_comment_form_fits_a_phone(
    flushable_db, django_db_serialized_rollback, page: Page, live_server
):
    cast = make_cast()
    draft = actions.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title="Cleaning of equipment",
        body="# Cleaning\n\nWipe with 70% alcohol.",
    )
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "reviewer")
    page.goto("/documents/SOP-001/A/")
    expect(page.get_by_role("button", name="Add comment")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
