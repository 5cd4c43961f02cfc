"""Two copies of one draft open at once (two tabs, or QA and the author): the second save
is refused with the difference shown, on a phone-width screen, and nothing is lost."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from openqms.documents import actions
from openqms.documents.models import DocumentType, Revision
from openqms.testing import make_cast
from tests.browser.test_document_journey import sign_in


def _saved() -> str:
    return Revision.objects.get().body.replace("\r\n", "\n")  # browsers post CRLF


def test_a_stale_save_shows_the_difference_at_390_px(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    cast = make_cast()
    actions.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title="Cleaning of equipment",
        body="# Cleaning\n\nWipe with alcohol.",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "author")
    page.goto("/documents/SOP-001/A/edit/")
    other = page.context.new_page()
    other.goto("/documents/SOP-001/A/edit/")

    other.get_by_label("Content (Markdown)").fill("# Cleaning\n\nWipe with 70% alcohol.")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_text("Draft saved.")).to_be_visible()

    page.get_by_label("Content (Markdown)").fill("# Cleaning\n\nWipe with water.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Your copy is out of date")).to_be_visible()
    expect(page.locator(".conflict .redline del")).to_have_text("70% alcohol.")
    expect(page.locator(".conflict .redline ins")).to_have_text("water.")
    expect(page.get_by_label("Content (Markdown)")).to_have_value("# Cleaning\n\nWipe with water.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "draft-conflict-390.png"), full_page=True)
    assert _saved() == "# Cleaning\n\nWipe with 70% alcohol."

    # Having seen the difference, the author saves on purpose.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert _saved() == "# Cleaning\n\nWipe with water."
