"""My tasks: a reviewer sees one task per project with suspect links, leading to its
suspect links; it goes when they are reviewed; authors without REVIEW see none; the
provider takes one query however many links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.inbox import tasks_for
from openqms.design.actions import items as design
from openqms.design.inbox.pages import KIND, suspect_link_tasks
from tests.design.conftest import SIGN, item


def _suspects(cast, project, count):
    req = item(cast, project, "REQ-1", "design_input")
    links = []
    for n in range(count):
        test = item(cast, project, f"TEST-{n}", "verification")
        links.append(design.link_items(actor=cast.author, source=test, kind="verifies", target=req))
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Clarified."
    )
    return links


@pytest.mark.verifies("DES-031")
def test_a_reviewer_sees_the_suspect_links_to_review_until_they_are_cleared(
    cast, project, signed_in
):
    [link] = _suspects(cast, project, 1)
    [task] = [t for t in tasks_for(cast.reviewer) if t.kind == KIND]
    assert task.title == "Review 1 suspect link in RhythmCheck"
    assert task.url == f"/design/projects/{project.pk}/suspect/"
    assert task.title in signed_in(cast.reviewer).get("/").content.decode()  # My tasks
    design.clear_suspect(actor=cast.reviewer, link=link, credentials=SIGN)
    assert [t for t in tasks_for(cast.reviewer) if t.kind == KIND] == []


@pytest.mark.verifies("DES-031")
def test_someone_without_review_has_no_suspect_link_tasks(cast, project):
    _suspects(cast, project, 2)
    assert suspect_link_tasks(cast.author) == []


@pytest.mark.verifies("DES-044")
def test_the_tasks_take_the_same_queries_however_many_links(cast):
    def count(name, links):
        _suspects(cast, design.create_project(actor=cast.author, name=name), links)
        suspect_link_tasks(cast.reviewer)  # warm the permission cache, if any
        with CaptureQueriesContext(connection) as done:
            tasks = suspect_link_tasks(cast.reviewer)
        return len(done), tasks[-1].title

    few, _ = count("A", 1)
    many, title = count("B", 12)
    assert (many, title) == (few, "Review 12 suspect links in B")
