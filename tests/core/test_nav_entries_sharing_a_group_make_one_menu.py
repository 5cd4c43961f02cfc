"""Navigation entries that share a group are shown as one menu named by the group, where
its first entry stands in the bar; entries the person may not see are left out, and a
group with none left is not shown. The page shown is marked as the current one."""

import re

from openqms.core import modules
from openqms.core.modules import Module, NavEntry
from openqms.core.registry import AUDIT_READ, USER_MANAGE


def _module() -> Module:
    return Module(
        label="sample_menu",
        nav=[
            NavEntry("Trail", "core:audit", AUDIT_READ, order=55, group="Records"),
            NavEntry("Profile", "core:profile", order=56, group="Records"),
            NavEntry("People", "core:users", USER_MANAGE, order=57, group="Admin only"),
        ],
    )


def _bar(page: str) -> list[str]:
    """The bar's top-level items, a group as "Label[child, child]"."""
    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
    items = []
    top_level = r"\n          <li.*?</li>(?=\n          <li|\n        </ul>)"
    for item in re.findall(top_level, nav, re.S):
        labels = re.findall(r">([^<>]+)</(?:a|summary)>", item)
        items.append(f"{labels[0]}[{', '.join(labels[1:])}]" if "<details>" in item else labels[0])
    return items


def test_a_group_is_one_menu_where_its_first_entry_stands(signed_in, cast):
    with modules.temporarily(_module()):
        page = signed_in(cast.auditor).get("/audit/").content.decode()
    bar = _bar(page)
    # order 55: after Documents (20), before the Audit trail (90)
    assert bar.index("Documents") < bar.index("Records[Trail, Profile]") < bar.index("Audit trail")
    assert "Admin only" not in page
    assert '<summary id="menu-records">Records</summary>' in page
    assert '<li class="nav-group current">' in page
    assert '<a href="/audit/" aria-current="page">Trail</a>' in page
    assert page.count('aria-current="page"') == 2  # the group's Trail and core's Audit trail


def test_a_group_shows_only_the_entries_the_person_may_open(signed_in, cast):
    with modules.temporarily(_module()):
        page = signed_in(cast.trainee).get("/").content.decode()
    assert "Records[Profile]" in _bar(page)
    assert '<a href="/" aria-current="page">My tasks</a>' in page
