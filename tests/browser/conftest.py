"""Browser journeys: Playwright's sync API driving Debian's Chromium against a live server.

Only Debian's Chromium is used (never `playwright install`, never a download). Where it is
missing the tests are skipped, or fail when OPENQMS_REQUIRE_BROWSER=1 (as in CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/openqms-shots")
_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser` (so `-m "not browser"` leaves them out)."""
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    """Debian's Chromium, once per session; started after the test database exists and
    stopped before it is dropped (hence `django_db_setup`)."""
    if not CHROMIUM.exists():
        if os.environ.get("OPENQMS_REQUIRE_BROWSER") == "1":
            pytest.fail(CHROMIUM_MISSING, pytrace=False)
        pytest.skip(CHROMIUM_MISSING)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps database connections per thread, but per context once an event loop
    # runs in the thread, and Playwright leaves its loop marked as running. From here on
    # the test sees new connection objects, without the database contents Django kept at
    # set-up for `django_db_serialized_rollback`; hand those over so the rollback works.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API runs an asyncio event loop in the main thread for as long as it
    # is started. Django then sees a running loop and refuses ORM calls made by the test
    # itself (SynchronousOnlyOperation), although nothing here is async: the test and the
    # live server only talk through the browser. So they are allowed while it runs
    # (browser tests are transactional, so pytest-django runs them after all the others).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        # Close those connections while they are still the ones in view: once the loop
        # stops, Django sees the first ones again, and an open one left behind here would
        # keep PostgreSQL from dropping the test database.
        for connection in connections.all(initialized_only=True):
            connection.close()
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies from another test) on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def shots() -> Path:
    """Where journeys save screenshots for a person to look at (outside the repository)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator:
    """new_page(viewport, **context_options) -> a page in a fresh context of that size
    (PHONE or DESKTOP), closed after the test."""
    contexts = []

    def make(viewport: dict, **options) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport=viewport, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()
