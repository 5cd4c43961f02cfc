"""A quality manager reads imported originals in Chromium, on a desktop and on a phone:
a Word SOP shown converted on its revision page, a PDF one a link away, opened inline."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from openqms.testing import make_cast
from tests.browser.test_document_journey import sign_in
from tests.documents.original_files import docx, pdf

LONG_NAME = "Calibration-of-torque-wrenches-and-screwdrivers-used-on-line-3.docx"


@pytest.mark.parametrize("width", [1440, 390])
def test_imported_originals_are_read_on_every_screen(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots, tmp_path, width
):
    make_cast()
    (tmp_path / LONG_NAME).write_bytes(
        docx("Calibrate each wrench every month.", heading="Torque wrench calibration")
    )
    (tmp_path / "Gowning.pdf").write_bytes(pdf(2, "Cleanroom gowning"))
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
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "trainee")

    page.goto("/documents/WI-001/A/")  # the Word file (first by name)
    body = page.locator(".original-text")
    expect(body.get_by_role("heading", name="Torque wrench calibration")).to_be_visible()
    expect(body).to_contain_text("Calibrate each wrench every month.")
    section = page.locator("section.original")
    assert section.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing overflows
    page.screenshot(path=str(shots / f"original-word-{width}.png"), full_page=True)

    page.goto("/documents/WI-002/A/")
    link = page.get_by_role("link", name="Read Gowning.pdf in the browser")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="Gowning.pdf"'
    assert response.headers["content-security-policy"].startswith("sandbox; ")
