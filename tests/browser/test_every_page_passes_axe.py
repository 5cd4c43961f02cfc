"""Every page, as the administrator, the QA lead, an ordinary employee and the auditor see
it on the demo's story, at 1440 px and at 390 px, passes axe-core (the engine shipped in
the axe-playwright-python wheel: nothing is fetched) with no serious or critical
violation; every table header cell has a name; and no page is wider than a phone.

The pages are found, not listed (tests/browser/pages.py): each address without parameters
in the URL conf, then each address linked from a visited page, one per view (every kind
of page, not every record: the markup of a view is the same for each of its records).

It runs on SQLite only: what a page's markup is does not depend on the database engine,
and the sweep is the longest test of the suite (every page × four people × two widths);
the PostgreSQL run drives the same pages through the browser journeys."""

from __future__ import annotations

from collections import Counter, deque

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Page, expect

from openqms.core.demo import DEMO_PASSWORD, seed_demo

from .conftest import DESKTOP, PHONE
from .pages import local, start_paths, view_name

PEOPLE = ["admin", "qa", "trainee", "auditor"]
PER_VIEW = 1  # addresses visited per view
NOT_PAGES = {"core:sign-out"}  # POST only
# django-ninja's Swagger UI: a third party's page about the API, not one of OpenQMS's
NOT_OURS = ("/api/",)
BAD = {"serious", "critical"}
EMPTY_TH = """els => els.filter(th => !th.textContent.trim() && !th.getAttribute('aria-label')
  && !th.getAttribute('aria-labelledby')).map(th => th.outerHTML.slice(0, 120))"""
AXE = Axe()


def _check(page: Page, where: str, problems: list[str], seen: Counter) -> None:
    """Axe, empty header cells and (on a phone) the page's width, on the page as shown."""
    results = AXE.run(page).response
    for v in results["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        line = f"{where}: {v['id']} ({v['impact']}) {v['help']}: {targets}"
        seen[v["impact"]] += 1
        print(line)
        if v["impact"] in BAD:
            problems.append(line)
    for th in page.locator("th").evaluate_all(EMPTY_TH):
        problems.append(f"{where}: a table header cell without text: {th}")
    width, shown = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > shown:
        problems.append(f"{where}: the page is {width} px wide on a {shown} px screen")


def _resize(page: Page, viewport: dict) -> None:
    """Resize, and let the page's script redo what depends on the width (two frames)."""
    page.set_viewport_size(viewport)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")


def _is_page(page: Page, url: str) -> bool:
    """A whole HTML page (not a PDF, a download, JSON or an htmx fragment)."""
    answer = page.request.get(url)
    if not answer.headers.get("content-type", "").startswith("text/html"):
        return False
    return answer.text().lstrip()[:15].lower() == "<!doctype html>"


def _sweep(page: Page, who: str, origin: str, problems: list[str], seen: Counter) -> int:
    starts = start_paths()
    queue, visited, per_view, kinds = deque(starts), set(), Counter(), {}
    while queue:
        url = queue.popleft()
        name = view_name(url)
        if name is None or name in NOT_PAGES or url.startswith(NOT_OURS):
            continue
        if url in visited or per_view[name] >= PER_VIEW:
            continue
        visited.add(url)
        if name not in kinds:
            kinds[name] = _is_page(page, url)
        if not kinds[name]:
            continue
        per_view[name] += 1
        page.set_viewport_size(DESKTOP)
        answer = page.goto(url)
        if answer is None or answer.status != 200:
            if url not in starts:  # a start address may not be this person's (404)
                problems.append(f"{who} {url}: a link to it answered {answer and answer.status}")
            per_view[name] -= 1
            continue
        _check(page, f"1440 {who} {url}", problems, seen)
        _resize(page, PHONE)
        _check(page, f"390 {who} {url}", problems, seen)
        # An SVG link's href is an object (the process map's boxes): resolve its text.
        links = page.locator("a[href]").evaluate_all(
            "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
        )
        queue.extend(u for u in (local(link, origin) for link in links) if u)
    print(f"{who}: {sum(per_view.values())} pages of {len(per_view)} views")
    return sum(per_view.values())


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="markup does not depend on the engine: the SQLite run sweeps every page",
)
@pytest.mark.parametrize("who", PEOPLE)
def test_every_page_has_no_serious_accessibility_violation_at_1440_and_390_px(
    flushable_db, django_db_serialized_rollback, new_page, live_server, who
):
    seed_demo()
    page: Page = new_page(DESKTOP)
    problems: list[str] = []
    seen: Counter = Counter()
    if who == PEOPLE[0]:  # the pages seen before signing in, once
        for url in ["/accounts/sign-in/", "/no-such-page/"]:
            page.goto(url)
            for viewport in (DESKTOP, PHONE):
                _resize(page, viewport)
                _check(page, f"{viewport['width']} anonymous {url}", problems, seen)
        page.set_viewport_size(DESKTOP)
    _sign_in(page, who)
    pages = _sweep(page, who, live_server.url, problems, seen)
    print(f"{who}: violations by impact {dict(seen)}")
    assert pages > 10
    assert not problems, "\n".join(problems)
