"""A QA lead on a phone (390 px) and on a desktop (1440 px) opens the audit trail, reads
records by their names, and records a signed review of yesterday with no findings; an
auditor then finds it in the list of reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from openqms.core import trail
from openqms.core.models import AuditReview
from openqms.testing import PASSWORD, make_cast
from tests.browser.test_sign_in_with_second_factor import audit_rows, cells


def _sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")


@pytest.mark.parametrize("width", [390, 1440])
def test_a_qa_lead_records_a_signed_review_and_an_auditor_finds_it(
    flushable_db, django_db_serialized_rollback, page: Page, shots, width
):
    make_cast()
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, "qa-lead")
    page.goto("/audit/?record=Alex+Author")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(audit_rows(page).first).to_be_visible()
    assert {cells(row)[4].splitlines()[0] for row in audit_rows(page).all()} == {
        "User Alex Author (author)"
    }
    # Every row's Record, Changes and Reason are in view: on a phone each event is a
    # card, and nothing scrolls sideways.
    record = cells(audit_rows(page).first)[4]
    box = page.locator("table.audit tbody tr").first.locator("td").nth(4).bounding_box()
    assert box and box["x"] + box["width"] <= width, record
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=shots / f"audit-trail-record-{width}.png", full_page=True)

    yesterday = (trail.today() - dt.timedelta(days=1)).isoformat()
    page.goto(f"/audit/reviews/new/?since={yesterday}&until={yesterday}")
    expect(page.get_by_text("0 events from")).to_be_visible()
    page.get_by_label("No findings").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign: audit-trail review").click()
    expect(page.get_by_text("Signed: audit-trail review recorded.")).to_be_visible()
    review = AuditReview.objects.get()
    expect(page).to_have_url(f"{page.url.split('/audit/')[0]}/audit/reviews/{review.pk}/")
    expect(page.get_by_text("Quinn Avery — Reviewed")).to_be_visible()
    page.screenshot(path=shots / f"audit-review-{width}.png", full_page=True)

    page.context.clear_cookies()
    _sign_in(page, "auditor")
    page.goto("/audit/reviews/")
    expect(page.get_by_role("cell", name="No findings")).to_be_visible()
    page.get_by_role("link", name="Open in the trail").click()
    expect(page).to_have_url(
        f"{page.url.split('/audit/')[0]}/audit/?since={yesterday}&until={yesterday}"
    )
