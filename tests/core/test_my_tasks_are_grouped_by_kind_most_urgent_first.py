"""My tasks shows one section per kind of task with its count, the most urgent task
first in each (overdue first, then by due date, undated last), the kinds ordered by
their most urgent task; a blocked task says why, with a link to what unblocks it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from openqms.core import modules
from openqms.core.inbox import Task, grouped, tasks_for
from openqms.core.modules import Module

pytestmark = pytest.mark.verifies("CORE-032")

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
TASKS = [
    Task("Training", "Train on WI-002 rev A", "/t/2", due=TODAY + 3 * DAY),
    Task("Email failing", "1 email(s) cannot be delivered", "/mail/"),
    Task("Document review", "Review SOP-002 rev B", "/r/2", due=TODAY + 5 * DAY),
    Task(
        "Training",
        "Train on SOP-001 rev B",
        "/t/1",
        due=TODAY + DAY,
        blocked="Complete your training on SOP-001 rev A first",
        blocked_url="/training/assignments/7/",
    ),
    Task("Document review", "Review SOP-001 rev C", "/r/1", due=TODAY - 2 * DAY),
    Task("Training", "Train on POL-001 rev A", "/t/3"),
]


def _module() -> Module:
    return Module(label="sample_tasks", tasks=[lambda user: list(TASKS)])


def test_tasks_are_grouped_by_kind_with_counts_most_urgent_first(cast):
    with modules.temporarily(_module()):
        groups = grouped(tasks_for(cast.author), TODAY)
    assert [(g.kind, g.count, g.overdue) for g in groups] == [
        ("Document review", 2, 1),
        ("Training", 3, 0),
        ("Email failing", 1, 0),
    ]
    assert [[t.title for t in g.tasks] for g in groups] == [
        ["Review SOP-001 rev C", "Review SOP-002 rev B"],
        ["Train on SOP-001 rev B", "Train on WI-002 rev A", "Train on POL-001 rev A"],
        ["1 email(s) cannot be delivered"],
    ]


def test_kinds_whose_most_urgent_tasks_are_due_the_same_day_go_by_name(cast):
    same_day = [Task("Zeta", "Z", "/z", due=TODAY), Task("Alpha", "A", "/a", due=TODAY)]
    assert [g.kind for g in grouped(same_day, TODAY)] == ["Alpha", "Zeta"]


def test_the_page_shows_each_kind_with_its_count_and_the_blocked_task_links_onward(signed_in, cast):
    with modules.temporarily(_module()):
        page = signed_in(cast.author).get("/").content.decode()
    headings = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h)).strip()
        for h in re.findall(r"<h2 id=\"kind-\d\">(.*?)</h2>", page, re.S)
    ]
    assert headings == ["Document review 2 1 overdue", "Training 3", "Email failing 1"]
    assert '6 tasks waiting for you, <strong class="overdue-text">1 overdue</strong>' in page
    assert (
        'Blocked: <a href="/training/assignments/7/">'
        "Complete your training on SOP-001 rev A first</a>"
    ) in page
    titles = re.findall(r'<td><a href="[^"]+">([^<]+)</a>', page)
    assert titles == [
        "Review SOP-001 rev C",
        "Review SOP-002 rev B",
        "Train on SOP-001 rev B",
        "Train on WI-002 rev A",
        "Train on POL-001 rev A",
        "1 email(s) cannot be delivered",
    ]
    first = page.index("Review SOP-001 rev C")
    assert '<tr class="overdue">' in page[first - 200 : first]


def test_nothing_waiting_says_so(signed_in, cast):
    page = signed_in(cast.author).get("/").content.decode()
    assert "Nothing is waiting for you." in page
    assert "<h2" not in page
