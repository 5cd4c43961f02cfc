"""On a phone (390 px) a QA lead opens the Menu, the Training group, and its Matrix link;
the matrix page has the one training tab bar and scrolls inside its own container."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openqms.testing import make_cast
from openqms.training import actions
from openqms.training.models import ComplianceSnapshot

from .test_document_journey import sign_in

PHONE = {"width": 390, "height": 844}
BASE = Path(__file__).resolve().parents[2] / "src/openqms/templates/base.html"


def test_a_qa_lead_reaches_the_matrix_from_the_menu_on_a_phone(
    flushable_db, django_db_serialized_rollback, page: Page, shots
):
    if "menu-toggle" not in BASE.read_text(encoding="utf-8"):
        pytest.skip("the phone menu of base.html (issue 10's ui work) is not in this tree")
    cast = make_cast()
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    course = actions.create_competency(
        actor=cast.qa_lead, name="IEC 62304 course", kind="course", validity_months=36
    )
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="competency", competency=course)
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    ComplianceSnapshot.objects.create(  # a point a week ago: the chart is drawn
        day=timezone.localdate() - dt.timedelta(weeks=1),
        required=1,
        current=0,
        overdue=0,
        recorded_at=timezone.now(),
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "qa-lead")
    page.get_by_role("button", name="Menu").click()
    page.locator("summary", has_text="Training").click()
    page.screenshot(path=str(shots / "training-menu-phone.png"), full_page=True)
    page.get_by_role("link", name="Matrix", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training matrix")
    tabs = page.get_by_role("navigation", name="Training")
    expect(tabs.get_by_role("link", name="Matrix", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("row", name="Taylor Trainee")).to_contain_text("0.0%")
    expect(page.get_by_role("columnheader", name="IEC 62304 course")).to_be_visible()
    page.screenshot(path=str(shots / "training-matrix-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The chart's axis labels keep a readable size (not the 5 px of a scaled-down chart),
    # and the export buttons keep clear of the tab bar.
    label = page.locator("svg.chart .chart-axis").first.bounding_box()
    assert label and label["height"] >= 10
    exports = page.locator(".heading .exports").bounding_box()
    bar = tabs.bounding_box()
    assert exports and bar and bar["y"] - (exports["y"] + exports["height"]) >= 8
