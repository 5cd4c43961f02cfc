"""A reviewer on a phone (390 px) reaches the review of a suspect link without scrolling
sideways, and the dialog says what changed since the link was last reviewed, word by
word; after release, the edit page says an edit needs a design change; a change page
names the QMS scope it may affect. The same pages at 1280 px are saved as screenshots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from openqms.core.signatures import Credentials
from openqms.design.actions import baselines, changes
from openqms.design.actions import items as design
from openqms.testing import PASSWORD, make_cast
from tests.qms.scope_world import drafted, in_force

from .test_document_journey import sign_in

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SHOTS = Path("/work/notes/out/shots-items")


def _story():
    cast = make_cast()
    project = design.create_project(actor=cast.author, name="RhythmCheck")
    req = design.create_item(
        actor=cast.author,
        project=project,
        uid="REQ-1",
        item_type="design_input",
        title="AF episode length",
        text_="The device detects AF episodes of 60 s or more.",
    )
    test = design.create_item(
        actor=cast.author,
        project=project,
        uid="TEST-1",
        item_type="verification",
        title="Short episodes on the reference database",
        text_="Run the reference database.",
    )
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    return cast, project, req, test


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_reviewer_reviews_a_suspect_link_on_a_phone(
    flushable_db, django_db_serialized_rollback, page: Page
):
    cast, project, req, test = _story()
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="Shorter AF episodes",
        description="Detect episodes from 30 s.",
        reason="Field feedback.",
        affected_items=[req],
        risk_assessment="No hazard affected.",
    )
    design.edit_item(
        actor=cast.author,
        item=req,
        title=req.title,
        text_="The device detects AF episodes of 30 s or more.",
        reason="Shorter episodes matter clinically.",
        change=change,
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "reviewer")
    page.goto(f"/design/items/{test.pk}/")
    button = page.get_by_role("button", name="Review: still valid…")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "item-links-390")
    button.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        "REQ-1 changed from version 1 to version 2 since this link was last reviewed."
    )
    expect(dialog.locator(".redline del")).to_have_text("60")
    expect(dialog.locator(".redline ins")).to_have_text("30")
    _shot(page, "link-review-dialog-390")
    page.set_viewport_size(WIDE)
    page.goto(f"/design/items/{test.pk}/")
    _shot(page, "item-links-1280")
    page.get_by_role("button", name="Review: still valid…").click()
    _shot(page, "link-review-dialog-1280")


def test_after_release_the_edit_page_asks_for_a_design_change(
    flushable_db, django_db_serialized_rollback, page: Page
):
    cast, project, req, _ = _story()
    made = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    baselines.sign_baseline(actor=cast.qa_lead, baseline=made, credentials=Credentials(PASSWORD))
    page.set_viewport_size(PHONE)
    sign_in(page, "author")
    page.goto(f"/design/items/{req.pk}/edit/")
    expect(page.get_by_role("note")).to_contain_text("the current baseline “release 1.0” is signed")
    page.get_by_label("Text").fill("The device detects AF episodes of 30 s or more.")
    page.get_by_label("Reason for the change").fill("Shorter episodes.")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("edit REQ-1 as part of a design change")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "item-edit-released-390")
    page.set_viewport_size(WIDE)
    _shot(page, "item-edit-released-1280")


def test_a_change_page_names_the_qms_scope_it_may_affect(
    flushable_db, django_db_serialized_rollback, page: Page
):
    cast, project, req, _ = _story()
    scope = in_force(cast, drafted(cast))
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="New accessory family",
        description="Support the HR-ACC patch.",
        reason="Product plan.",
        affected_items=[req],
        risk_assessment="No hazard affected.",
        scope_impact=True,
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "qa-lead")
    page.goto(f"/design/changes/{change.pk}/")
    expect(page.get_by_role("link", name=str(scope))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "change-scope-390")
    page.set_viewport_size(WIDE)
    _shot(page, "change-scope-1280")
    page.goto(f"/design/projects/{project.pk}/reviews/")
    page.locator("summary", has_text="Record a design change").click()
    expect(page.get_by_label("May affect the QMS scope")).to_be_visible()
    _shot(page, "change-form-1280")
