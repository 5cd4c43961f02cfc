"""A QA lead on a phone (390 px) opens a validation report from My tasks, reads it
(the deviations one card each) without scrolling sideways, mistypes the password (the
dialog opens again saying why, the justification kept) and approves it in the signing
dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from openqms.testing import PASSWORD, make_cast
from openqms.validation.models import ValidationReport
from tests.validation.oq_runs import failing_run, store

from .test_document_journey import sign_in

PHONE = {"width": 390, "height": 844}


@pytest.mark.verifies("VAL-029", "VAL-032")
def test_a_qa_lead_approves_a_report_on_a_phone(
    flushable_db, django_db_serialized_rollback, page: Page
):
    make_cast()
    report = store(failing_run())
    page.set_viewport_size(PHONE)
    sign_in(page, "qa-lead")

    page.get_by_role("link", name=f"{report.number}: OpenQMS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(report))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The deviations read as one card each: no column cut off at the screen's edge.
    failing = page.get_by_test_id("deviations").locator("td", has_text="boom")
    detail = failing.bounding_box()  # the failing test's deviation, in full on screen
    assert detail and detail["x"] + detail["width"] <= PHONE["width"]
    # A failed validation: the dialog says so and takes the justification.
    page.get_by_role("button", name="Approve with deviations justified…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("approve-failed")).to_contain_text("This validation failed")
    comment = dialog.get_by_label("Comment (required)")
    comment.fill("Deviations read: none affects our use.")
    dialog.get_by_label("Password").fill("not my password")
    dialog.get_by_role("button", name="Sign: Approved").click()

    # Refused: the dialog opens again by itself, says why, keeps the comment and has the
    # password field ready for the next try.
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("sign-refused")).to_contain_text(
        "The password is not correct; nothing was signed."
    )
    expect(dialog.get_by_label("Comment (required)")).to_have_value(
        "Deviations read: none affects our use."
    )
    expect(dialog.get_by_label("Password")).to_be_focused()
    assert ValidationReport.objects.get().state == "awaiting_approval"
    page.keyboard.type(PASSWORD)
    dialog.get_by_role("button", name="Sign: Approved").click()

    expect(page.get_by_text("Validation report approved.")).to_be_visible()
    assert ValidationReport.objects.get().state == "approved"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
