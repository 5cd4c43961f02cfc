"""Journeys a person takes in Chromium: sign in with an authenticator code, see My tasks,
find the sign-in in the audit trail; a wrong code refused; a record signed in the dialog.

Every test asks for `flushable_db` (the live server needs committed data, and the audit
table only lets the flush through with its triggers dropped) and for
`django_db_serialized_rollback`, which puts the seeded roles back before each test: the
flush after the previous one emptied the roles table too.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from openqms.core import actions, chain, signatures
from openqms.core.models import AuditEvent, Role
from openqms.testapp.actions import create_specimen, take_step
from openqms.testapp.models import APPROVE, EDIT, Specimen
from openqms.testing import PASSWORD, changes_of, code_for, enrol_totp, make_cast


def sign_in_with_password(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def audit_rows(page: Page):
    return page.locator("#audit-rows table.audit tbody tr")


def cells(row) -> list[str]:
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def a_code_that_is_not_current(device) -> str:
    """Six digits the device will refuse: none of the codes near the present time."""
    near = {code_for(device, offset_steps=step) for step in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def test_qa_lead_signs_in_with_authenticator_sees_tasks_and_finds_the_sign_in_in_audit_trail(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    cast = make_cast()
    device = enrol_totp(cast.qa_lead)

    sign_in_with_password(page, "qa-lead")

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    expect(
        page.get_by_text("Enter the code your authenticator app shows for OpenQMS.")
    ).to_be_visible()
    # The code of the next time step: the current one was spent confirming the enrolment,
    # and django-otp refuses a code twice; its tolerance (1 step) accepts the next one.
    page.get_by_label("Authenticator code").fill(code_for(device, offset_steps=1))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title("My tasks · OpenQMS")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    expect(page.get_by_role("link", name="Quinn Avery")).to_be_visible()
    page.screenshot(path=shots / "my-tasks.png", full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()

    expect(page).to_have_url(f"{live_server.url}/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    sign_ins = audit_rows(page).filter(has=page.get_by_role("cell", name="Signed in", exact=True))
    expect(sign_ins).to_have_count(1)
    who, what, record = cells(sign_ins)[2:5]
    # The record by its name (with a link to all its events below it), not "core.user 2".
    assert (who, what, record.splitlines()[0]) == (
        "Quinn Avery",
        "Signed in",
        "User Quinn Avery (qa-lead)",
    )
    assert cells(audit_rows(page).first) == cells(sign_ins)  # the newest event, on top
    page.screenshot(path=shots / "audit-trail.png", full_page=True)

    page.get_by_label("Action").select_option(label="Signed in")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"[?&]action=core\.auth\.signed_in(&|$)"))
    expect(audit_rows(page)).to_have_count(1)
    who, what = cells(audit_rows(page))[2:4]
    assert (who, what) == ("Quinn Avery", "Signed in")
    page.screenshot(path=shots / "audit-trail-filtered.png", full_page=True)

    event = AuditEvent.objects.get(action="core.auth.signed_in")
    assert event.actor_id == cast.qa_lead.pk
    assert event.actor_name == "Quinn Avery"
    assert (event.object_type, event.object_id) == ("core.user", str(cast.qa_lead.pk))
    assert changes_of(event) == {}
    assert event.ip == "127.0.0.1"
    assert "Chrome" in event.user_agent
    assert not AuditEvent.objects.filter(action="core.auth.second_factor_failed").exists()
    assert chain.verify_chain().ok


def test_wrong_authenticator_code_is_refused_recorded_and_does_not_sign_in(
    flushable_db, django_db_serialized_rollback, page: Page, live_server
):
    cast = make_cast()
    device = enrol_totp(cast.qa_lead)
    before = AuditEvent.objects.count()

    sign_in_with_password(page, "qa-lead")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    page.get_by_label("Authenticator code").fill(a_code_that_is_not_current(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("alert")).to_have_text("The authenticator code is not correct.")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/code/$"))
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    written = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in written] == ["core.auth.second_factor_failed"]
    (failed,) = written
    assert failed.actor_id is None  # whoever typed at the sign-in is not known yet
    assert (failed.object_type, failed.object_id) == ("core.user", str(cast.qa_lead.pk))
    assert changes_of(failed) == {"failed_sign_ins": [0, 1], "username": "qa-lead"}
    cast.qa_lead.refresh_from_db()
    assert cast.qa_lead.failed_sign_ins == 1
    assert chain.verify_chain().ok


def test_approver_signs_a_specimen_in_the_signing_dialog(
    flushable_db, django_db_serialized_rollback, page: Page, live_server, shots
):
    cast = make_cast()
    editors = Role.objects.create(
        code="specimen-editor", name="Specimen editor", permissions=[EDIT]
    )
    approvers = Role.objects.create(
        code="specimen-approver", name="Specimen approver", permissions=[APPROVE]
    )
    actions.grant_role(actor=None, user=cast.author, role=editors, reason="browser test")
    actions.grant_role(actor=None, user=cast.approver, role=approvers, reason="browser test")
    specimen = create_specimen(
        actor=cast.author, title="Cleaning procedure", body="Step 1: do the thing."
    )
    specimen = take_step(actor=cast.author, specimen=specimen, step="submit")
    content_hash = signatures.content_hash(specimen.signature_content())

    sign_in_with_password(page, "approver")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    page.goto(f"/specimens/{specimen.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Specimen {specimen.pk}: Cleaning procedure"
    )
    expect(page.get_by_test_id("state")).to_have_text("in review")
    expect(page.get_by_text("No signatures yet.")).to_be_visible()
    dialog = page.get_by_role("dialog", name="Electronic signature")
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="Approve…").click()

    expect(dialog).to_be_visible()
    signing = dialog.locator("dl.signing")
    expect(signing.locator("dt")).to_have_text(["Meaning", "Record", "Content SHA-256", "Signer"])
    expect(signing.locator("dd")).to_have_text(
        [
            "Approved",
            f"Specimen {specimen.pk}: Cleaning procedure, version 1",
            content_hash,
            "Morgan Approver (approver)",
        ]
    )
    expect(dialog.get_by_label("Authenticator code")).to_have_count(0)
    page.screenshot(path=shots / "signing-dialog.png", full_page=True)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Sign: Approved").click()

    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(page.get_by_test_id("state")).to_have_text("approved")
    signature = page.locator("ul.signatures li.signature")
    expect(signature).to_have_count(1)
    expect(signature).to_contain_text("Morgan Approver — Approved")
    expect(signature).to_contain_text("version 1")
    expect(signature.locator(".badge")).to_have_text("✔ valid")
    expect(signature).to_contain_text(f"content SHA-256 {content_hash}")
    page.screenshot(path=shots / "specimen-approved.png", full_page=True)

    specimen = Specimen.objects.get(pk=specimen.pk)
    assert specimen.state == "approved"
    signed = AuditEvent.objects.get(action="core.signature.signed")
    assert signed.actor_id == cast.approver.pk
    assert (signed.object_type, signed.object_id) == ("testapp.specimen", str(specimen.pk))
    assert changes_of(signed)["meaning"] == "approved"
    assert changes_of(signed)["content_hash"] == content_hash
    assert AuditEvent.objects.filter(action="testapp.specimen.approved").count() == 1
    assert chain.verify_chain().ok


def sign_in_without_second_factor(page: Page, username: str) -> None:
    sign_in_with_password(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")


def test_pages_load_their_stylesheet_and_script_without_console_errors(
    flushable_db, django_db_serialized_rollback, page: Page, live_server
):
    make_cast()
    loaded, failed, errors = [], [], []

    def on_response(response):
        path = response.url.removeprefix(live_server.url)
        if response.status >= 400:
            failed.append(f"{response.status} {path}")
        else:
            loaded.append(path)

    def on_console(message):
        if message.type == "error":
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in_without_second_factor(page, "qa-lead")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.wait_for_load_state("networkidle")

    wanted = ["/static/openqms/app.css", "/static/htmx/htmx.min.js"]
    missing = [path for path in wanted if path not in loaded]
    assert (missing, failed, errors) == ([], [], [])


def test_export_links_follow_the_audit_trail_filter(
    flushable_db, django_db_serialized_rollback, page: Page, live_server
):
    make_cast()
    sign_in_without_second_factor(page, "qa-lead")
    page.goto("/audit/")
    expect(page.get_by_role("link", name="CSV")).to_have_attribute("href", "/audit/export.csv?")

    page.get_by_label("Action").select_option(label="Signed in")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]action=core\.auth\.signed_in(&|$)"))
    expect(audit_rows(page)).to_have_count(1)

    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", re.compile(r"^/audit/export\.csv\?.*\baction=core\.auth\.signed_in\b")
    )
    expect(page.get_by_role("link", name="JSON")).to_have_attribute(
        "href", re.compile(r"^/audit/export\.json\?.*\baction=core\.auth\.signed_in\b")
    )
