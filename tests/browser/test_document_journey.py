"""The document-control journey in Chromium: an author writes an SOP, a reviewer and an
approver sign it in the dialog, it becomes effective, the author starts revision B
while A stays effective, and the PDF opens with its signature page."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openqms.core import chain
from openqms.documents.models import Revision
from openqms.testing import PASSWORD, make_cast


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def sign_in_dialog(page: Page, step: str, meaning: str) -> None:
    page.get_by_role("button", name=f"{step}…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(meaning, exact=True)).to_be_visible()
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name=f"Sign: {meaning}").click()


def test_an_sop_is_written_signed_made_effective_and_revised(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    make_cast()

    # The author writes and submits the SOP.
    sign_in(page, "author")
    page.goto("/documents/new/")
    page.get_by_label("Type").select_option(label="Procedure (SOP)")
    page.get_by_label("Title").fill("Cleaning of equipment")
    page.get_by_label("Content (Markdown)").fill("# Cleaning\n\nWipe with 70% alcohol.")
    page.get_by_role("button", name="Create document").click()
    expect(page.locator("main h1").first).to_contain_text("Edit SOP-001 rev A")
    page.get_by_label("Change summary").fill("First issue")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main h1").first).to_contain_text("SOP-001 rev A")
    page.get_by_label("Reviewer 1").select_option(label="Riley Reviewer (reviewer)")
    page.get_by_label("Approver 1").select_option(label="Morgan Approver (approver)")
    page.get_by_label("Due date").fill("2099-01-31")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".meta").first).to_contain_text("in review")
    sign_out(page)

    # The reviewer finds it in My tasks and signs "Reviewed".
    sign_in(page, "reviewer")
    page.get_by_role("link", name="Review SOP-001 rev A: Cleaning of equipment").click()
    sign_in_dialog(page, "Review", "Reviewed")
    expect(page.locator(".signatures")).to_contain_text("Riley Reviewer — Reviewed")
    sign_out(page)

    # The approver signs "Approved": the revision becomes effective at once.
    sign_in(page, "approver")
    page.get_by_role("link", name="Approve SOP-001 rev A: Cleaning of equipment").click()
    sign_in_dialog(page, "Approve", "Approved")
    page.goto("/documents/SOP-001/")
    expect(page.get_by_text("Revision A", exact=False).first).to_be_visible()
    expect(page.locator(".signatures").first).to_contain_text("Morgan Approver — Approved")
    expect(page.locator(".signatures").first).to_contain_text("✔ valid")
    page.screenshot(path=str(shots / "document-journey-effective.png"), full_page=True)
    sign_out(page)

    # The author starts revision B; A stays in force meanwhile.
    sign_in(page, "author")
    page.goto("/documents/SOP-001/")
    page.get_by_label("Change reason").fill("Add the drying time")
    page.get_by_role("button", name="Start revision").click()
    assert Revision.objects.get(document__number="SOP-001", label="B").state == "draft"
    assert Revision.objects.get(document__number="SOP-001", label="A").state == "effective"

    # The PDF of revision A, with its signature page.
    response = page.request.get("/documents/SOP-001/A/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages]
    assert "Cleaning of equipment" in pages[0] and re.search(r"Page 1 of \d", pages[0])
    assert "Riley Reviewer — Reviewed" in pages[-1]
    assert "Morgan Approver — Approved" in pages[-1]
    assert chain.verify_chain().ok
