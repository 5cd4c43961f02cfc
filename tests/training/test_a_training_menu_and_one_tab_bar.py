"""Training has one menu in the main navigation (NavEntry group "Training": my training,
matrix, people, job roles, quizzes, sessions, each for those allowed) and one tab bar on
every training page."""

import re

import pytest

from openqms.core import modules


def _bar(html: str) -> str:
    bar = re.search(
        r'<nav class="subnav training-tabs" aria-label="Training">(.*?)</nav>', html, re.S
    )
    assert bar, "no training tab bar"
    return bar[1]


def _tabs(html: str) -> list[str]:
    return re.findall(r">([^<]+)</a>", _bar(html))


def _training_menu(nav) -> list[str]:
    """The labels of the main navigation's "Training" menu (a NavGroup of NavLinks)."""
    (group,) = [item for item in nav if item.label == "Training"]
    assert all(link.url.startswith("/training/") for link in group.links)
    return [link.label for link in group.links]


def test_the_training_entries_share_one_menu():
    entries = [e for e in modules.nav_entries() if e.url_name.startswith("training:")]
    assert [(e.label, e.url_name, e.permission, e.group) for e in entries] == [
        ("My training", "training:my", None, "Training"),
        ("Matrix", "training:matrix", "training.matrix:read", "Training"),
        ("People", "training:people", None, "Training"),
        ("Job roles", "training:job-roles", "training.role:manage", "Training"),
        ("Quizzes", "training:quizzes", "training.record:manage", "Training"),
        ("Sessions", "training:sessions", None, "Training"),
    ]


def test_the_qa_lead_gets_every_entry_and_an_employee_only_theirs(signed_in, cast):
    qa = signed_in(cast.qa_lead).get("/").context["nav"]
    assert _training_menu(qa) == [
        "My training",
        "Matrix",
        "People",
        "Job roles",
        "Quizzes",
        "Sessions",
    ]
    trainee = signed_in(cast.trainee).get("/").context["nav"]
    assert _training_menu(trainee) == [
        "My training",
        "People",
        "Sessions",
    ]


EVERYTHING = [
    "My training",
    "Matrix",
    "Completion by document",
    "People",
    "Sessions",
    "Job roles",
    "Competencies",
    "Training rules",
    "Assign training",
    "Quizzes",
]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/training/my/", "My training"),
        ("/training/matrix/", "Matrix"),
        ("/training/matrix/documents/", "Completion by document"),
        ("/training/people/", "People"),
        ("/training/sessions/", "Sessions"),
        ("/training/sessions/new/", "Sessions"),
        ("/training/job-roles/", "Job roles"),
        ("/training/competencies/", "Competencies"),
        ("/training/rules/", "Training rules"),
        ("/training/rules/procedure/", "Training rules"),
        ("/training/assign/", "Assign training"),
        ("/training/quizzes/", "Quizzes"),
    ],
)
def test_every_training_page_has_the_same_tab_bar(signed_in, cast, sop_a, path, current):
    html = signed_in(cast.qa_lead).get(path).content.decode()
    assert html.count('class="subnav') == 1
    assert _tabs(html) == EVERYTHING
    # The tab bar names the page itself; the main menu may mark its area instead (its
    # "Matrix" entry stays current on every /training/matrix/ page).
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', _bar(html))
    assert marked == [current]


def test_an_employee_sees_only_the_tabs_they_may_open(signed_in, cast):
    html = signed_in(cast.trainee).get("/training/my/").content.decode()
    assert _tabs(html) == ["My training", "People", "Sessions"]


def test_a_manager_without_the_permission_has_the_matrix_tab(signed_in, cast, engineer):
    from openqms.training import actions

    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.approver
    )
    html = signed_in(cast.approver).get("/training/my/").content.decode()
    assert _tabs(html) == ["My training", "Matrix", "Completion by document", "People", "Sessions"]
