"""Named review in Chromium, on a desktop (1440 px) and a phone (390 px): the author
submits to two named reviewers and one approver, a reviewer comments on a passage, the
author resolves the comment, both reviewers sign, the approver signs, and the PDF of the
approved revision opens and names it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openqms.documents import actions
from openqms.documents.models import DocumentType, ReviewComment, Revision
from openqms.testing import PASSWORD, make_cast

SHOTS = Path("/work/notes/shots-review")
TITLE = "Cleaning of equipment"


def _as(page: Page, username: str) -> None:
    """Sign in as another person (cookies cleared: the header's layout is not the point)."""
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")


def _sign(page: Page, step: str, meaning: str) -> None:
    page.get_by_role("button", name=f"{step}…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name=f"Sign: {meaning}").click()


def _shot(page: Page, width: int, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{width}-{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1440, 390])
def test_named_reviewers_comment_and_sign_and_the_approver_approves(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, width
):
    page.set_viewport_size({"width": width, "height": 900})
    cast = make_cast()
    actions.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title=TITLE,
        body="# Cleaning\n\nWipe with 70% alcohol.",
    )

    # The author names two reviewers and one approver, with a due date.
    _as(page, "author")
    page.goto("/documents/SOP-001/A/")
    page.get_by_label("Reviewer 1").select_option(label="Riley Reviewer (reviewer)")
    page.get_by_label("Reviewer 2").select_option(label="Quinn Avery (qa-lead)")
    page.get_by_label("Approver 1").select_option(label="Morgan Approver (approver)")
    page.get_by_label("Due date").fill("2099-01-31")
    _shot(page, width, "1-submit")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review to the people you named.")).to_be_visible()
    named = page.locator("table.named")
    expect(named).to_contain_text("Riley Reviewer")
    expect(named).to_contain_text("Quinn Avery")
    expect(named).to_contain_text("Morgan Approver")

    # A reviewer finds it in My tasks and comments on a passage.
    _as(page, "reviewer")
    page.get_by_role("link", name=f"Review SOP-001 rev A: {TITLE}").click()
    page.get_by_label("Passage (optional)").fill("70% alcohol")
    page.get_by_label("Your comment").fill("Name the contact time.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".comment")).to_contain_text("open")
    _shot(page, width, "2-comment")

    # The author resolves it with a reply.
    _as(page, "author")
    page.goto("/documents/SOP-001/A/")
    page.get_by_label("Reply (optional)").fill("One minute; added in the next revision.")
    page.get_by_role("button", name="Resolve comment").click()
    expect(page.locator(".comment")).to_contain_text("resolved")
    assert ReviewComment.objects.get().resolved_by == cast.author

    # Both reviewers sign; then the approver approves.
    for username in ("reviewer", "qa-lead"):
        _as(page, username)
        page.goto("/documents/SOP-001/A/")
        _sign(page, "Review", "Reviewed")
        expect(page.get_by_text("Signed: Reviewed.")).to_be_visible()
    _as(page, "approver")
    page.get_by_role("link", name=f"Approve SOP-001 rev A: {TITLE}").click()
    _sign(page, "Approve", "Approved")
    expect(page.get_by_text("Signed: Approved.")).to_be_visible()
    _shot(page, width, "3-approved")
    assert Revision.objects.get(document__number="SOP-001", label="A").state == "effective"

    # The PDF opens and names the revision.
    response = page.request.get("/documents/SOP-001/A/pdf/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "SOP-001" in text and TITLE in text
