"""The review of a suspect link says which end changed, from which version to which
since the link was last valid, and shows the word-level difference of that end's text
between those versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.design import link_review
from openqms.design.actions import items as design
from openqms.design.models import Link
from tests.design.conftest import SIGN, item
from tests.design.test_api_pages import Api

pytestmark = pytest.mark.verifies("DES-053")

SENTENCE = "REQ-1 changed from version {} to version {} since this link was last reviewed"


def _linked(cast, project):
    req = item(cast, project, "REQ-1", "design_input", text="Detect AF of 60 s or more.")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    return req, test, link


def _edit(cast, req, text, title="REQ-1"):
    return design.edit_item(actor=cast.author, item=req, title=title, text_=text, reason="r")


def test_the_dialog_names_the_versions_and_shows_the_words_changed(cast, project, signed_in):
    req, test, _ = _linked(cast, project)
    _edit(cast, req, "Detect AF of 30 s or more.")
    page = signed_in(cast.reviewer).get(f"/design/items/{test.pk}/").content.decode()
    assert SENTENCE.format(1, 2) in page
    assert "Detect AF of <del>60</del><ins>30</ins> s or more." in page


def test_two_edits_while_suspect_are_compared_from_the_last_reviewed_version(cast, project):
    req, _, link = _linked(cast, project)
    _edit(cast, req, "Detect AF of 30 s or more.")
    req = _edit(cast, req, "Detect AF of 30 s or longer.")
    link = Link.objects.select_related("source", "target").get(pk=link.pk)
    review = link_review.reviews([link])[link.pk]
    assert review.sentence == SENTENCE.format(1, 3)
    assert [(s.kind, s.text) for s in review.text if s.kind != "same"] == [
        ("removed", "60"),
        ("added", "30"),
        ("removed", "more."),
        ("added", "longer."),
    ]


def test_after_a_signed_review_the_next_change_is_compared_from_the_reviewed_version(cast, project):
    req, _, link = _linked(cast, project)
    req = _edit(cast, req, "Detect AF of 30 s or more.")
    design.clear_suspect(actor=cast.reviewer, link=link, credentials=SIGN)
    assert Link.objects.get(pk=link.pk).changed_from is None
    _edit(cast, req, "Detect AF of 20 s or more.")
    link = Link.objects.select_related("source", "target").get(pk=link.pk)
    assert link.changed_from == 2
    assert link_review.reviews([link])[link.pk].sentence == SENTENCE.format(2, 3)


def test_a_title_only_change_says_the_text_is_unchanged(cast, project, signed_in):
    req, _test, _ = _linked(cast, project)
    _edit(cast, req, "Detect AF of 60 s or more.", title="AF duration")
    page = signed_in(cast.reviewer).get(f"/design/items/{req.pk}/").content.decode()
    assert SENTENCE.format(1, 2) in page
    assert "Its text is unchanged (its title or attributes changed)." in page


def test_a_valid_link_has_nothing_to_review(cast, project):
    _, _, link = _linked(cast, project)
    link = Link.objects.select_related("source", "target").get(pk=link.pk)
    assert link_review.reviews([link]) == {}


def test_the_api_says_from_which_version_a_link_is_suspect(cast, project, client):
    req, _, link = _linked(cast, project)
    _edit(cast, req, "Detect AF of 30 s or more.")
    body = Api(client, cast.reviewer).get(f"/links/{link.pk}").json()
    assert (body["changed_end"], body["changed_from"], body["target_version"]) == ("target", 1, 2)


def test_the_reviews_of_many_links_read_the_trail_once(cast, project):
    req, _, _ = _linked(cast, project)
    for n in range(2, 6):
        test = item(cast, project, f"TEST-{n}", "verification")
        design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    _edit(cast, req, "Detect AF of 30 s or more.")
    links = list(Link.objects.select_related("source", "target"))
    with CaptureQueriesContext(connection) as queries:
        found = link_review.reviews(links)
    assert len(found) == 5 and len(queries) == 1
