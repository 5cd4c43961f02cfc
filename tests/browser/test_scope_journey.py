"""The scope journey in Chromium: the QA lead drafts scope version 2 adding a device
family, top management signs it from My tasks, the QA lead puts it in force, the
reassessment flag appears, the notification is recorded as sent, the approved body
requires a reassessment, and recording it as done closes the flag. Screenshots at phone
width for a person to look at."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from openqms.qms.actions import scope as actions
from openqms.qms.models import NotificationState, ScopeNotification, ScopeState, ScopeVersion
from openqms.testing import make_cast

from ..qms.scope_world import certificate, drafted, family, in_force
from .conftest import PHONE
from .test_document_journey import sign_in, sign_in_dialog, sign_out

FLAG = "Approved body must be notified — reassessment may be required"


def test_a_scope_change_after_certification_is_signed_flagged_notified_and_answered(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    cast = make_cast()
    v1 = in_force(cast, drafted(cast, [family("HR-SW", "Rhythm analysis software")]))
    family("HR-ACC", "ECG patch accessories")
    actions.mark_scope_certified(
        actor=cast.qa_lead, scope=v1, certificate=certificate(), certified_on=timezone.localdate()
    )

    # The QA lead drafts version 2, adding the accessories, and submits it.
    sign_in(page, "qa-lead")
    page.goto("/qms/scope/")
    page.get_by_role("button", name="Start a new version").click()
    expect(page.locator("main h1")).to_contain_text("Edit QMS scope version 2")
    page.get_by_label("HR-ACC ECG patch accessories").check()
    page.get_by_label("What changes and why").fill("Adds the ECG patch accessories")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("state")).to_have_text("awaiting approval")
    sign_out(page)

    # Top management finds it in My tasks and signs it.
    sign_in(page, "manager")
    page.get_by_role("link", name="Approve QMS scope version 2").click()
    sign_in_dialog(page, "Approve", "QMS scope approved (top management)")
    expect(page.get_by_test_id("state")).to_have_text("approved")
    expect(page.locator(".signatures")).to_contain_text("Mia Manager")
    sign_out(page)

    # The QA lead puts it in force: the flag appears, here and on the dashboard.
    sign_in(page, "qa-lead")
    page.goto("/qms/scope/2/")
    page.get_by_role("button", name="Put in force").click()
    expect(page.get_by_test_id("reassessment-flag")).to_contain_text(FLAG)
    page.goto("/qms/")
    expect(page.get_by_test_id("reassessment-flag")).to_be_visible()
    expect(page.locator("table.scope-compare ins")).to_contain_text("HR-ACC")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / "qms-dashboard-phone.png"), full_page=True)

    # The notification is recorded as sent, then the approved body's answer closes it.
    page.goto("/qms/scope/2/")
    today = timezone.localdate().isoformat()
    page.get_by_label("Date sent").fill(today)
    page.get_by_label("Reference").fill("AB-2026-114")
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_test_id("notification-state")).to_have_text("sent, answer pending")
    page.screenshot(path=str(shots / "qms-scope-phone.png"), full_page=True)
    page.get_by_label("The approved body's answer").select_option(label="reassessment required")
    page.get_by_label("Date of the answer").fill(today)
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_test_id("notification-state")).to_have_text("answered")
    # A required reassessment keeps the flag up and the scope uncertifiable until it is done.
    expect(page.get_by_test_id("reassessment-flag")).to_be_visible()
    expect(page.get_by_role("button", name="Mark certified")).to_have_count(0)
    page.get_by_label("Date the reassessment was done").fill(today)
    page.get_by_label("Report reference and outcome").fill("AB-R-7: extension granted.")
    page.get_by_role("button", name="Record the reassessment").click()
    expect(page.get_by_test_id("notification-state")).to_have_text("reassessed")
    expect(page.get_by_test_id("reassessment-flag")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark certified")).to_be_visible()

    assert ScopeVersion.objects.get(number=2).state == ScopeState.IN_FORCE
    assert ScopeNotification.objects.get().state == NotificationState.REASSESSED
