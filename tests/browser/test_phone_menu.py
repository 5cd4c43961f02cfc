"""At 390 px the header folds into a "Menu" button (aria-expanded) and Sign out is reached
by opening it; without JavaScript the whole menu shows. On a desktop a group of entries
is a dropdown that the keyboard opens and Escape closes."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from openqms.core import modules
from openqms.core.modules import Module, NavEntry
from openqms.testing import make_cast

from .conftest import DESKTOP, PHONE
from .test_document_journey import sign_in

RECORDS = Module(
    label="sample_menu",
    nav=[
        NavEntry("Trail", "core:audit", order=55, group="Records"),
        NavEntry("My profile", "core:profile", order=56, group="Records"),
    ],
)


def test_on_a_phone_sign_out_is_reached_through_the_menu(
    flushable_db, django_db_serialized_rollback, new_page, shots
):
    make_cast()
    page: Page = new_page(PHONE)
    with modules.temporarily(RECORDS):
        sign_in(page, "qa-lead")
        menu = page.get_by_role("button", name="Menu")
        sign_out = page.get_by_role("button", name="Sign out")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(sign_out).to_be_hidden()
        page.screenshot(path=str(shots / "phone-menu-closed.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(sign_out).to_be_visible()
        page.get_by_text("Records", exact=True).click()
        page.screenshot(path=str(shots / "phone-menu-open.png"), full_page=True)
        page.get_by_role("link", name="My profile").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Quinn Avery")

        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_without_javascript_the_phone_shows_the_whole_menu(
    flushable_db, django_db_serialized_rollback, new_page
):
    make_cast()
    page: Page = new_page(PHONE, java_script_enabled=False)
    sign_in(page, "qa-lead")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Documents")).to_be_visible()


def test_on_a_desktop_a_group_is_a_dropdown_the_keyboard_opens_and_escape_closes(
    flushable_db, django_db_serialized_rollback, new_page, shots
):
    make_cast()
    page: Page = new_page(DESKTOP)
    with modules.temporarily(RECORDS):
        sign_in(page, "qa-lead")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        trail = page.get_by_role("link", name="Trail", exact=True)
        expect(trail).to_be_hidden()
        group = page.locator("summary", has_text="Records")
        group.focus()
        page.keyboard.press("Enter")
        expect(trail).to_be_visible()
        page.screenshot(path=str(shots / "desktop-menu-open.png"))
        page.keyboard.press("Tab")
        expect(trail).to_be_focused()
        page.keyboard.press("Escape")
        expect(trail).to_be_hidden()
        expect(group).to_be_focused()
        group.click()
        # A click elsewhere closes it (the heading's left end: the menu may lie over its middle)
        page.locator("main h1").click(position={"x": 4, "y": 4})
        expect(trail).to_be_hidden()
