"""Links on the pages: add one by the other item's ID, a refused link shows the rule's
message and writes nothing, remove one with a reason, sign a suspect link still valid
from the item page, and the project's suspect links with who changed what."""

import pytest

from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.design.actions import items as design
from openqms.design.models import Link, LinkState
from openqms.testing import PASSWORD, event_count, events_since, last_event
from tests.design.conftest import item
from tests.design.test_pages_projects import queries


@pytest.mark.verifies("DES-003")
def test_an_author_links_a_test_to_a_requirement_by_its_id(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    signed_in(cast.author).post(
        f"/design/items/{test.pk}/links/",
        {"direction": "out", "kind": "verifies", "other": "REQ-1"},
    )
    link = Link.objects.get()
    assert (link.source, link.kind, link.target) == (test, "verifies", req)
    assert last_event().action == "design.link.added"


@pytest.mark.verifies("DES-003")
def test_a_refused_link_shows_the_rule_and_writes_nothing(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need")
    test = item(cast, project, "TEST-1", "verification")
    before = event_count()
    response = signed_in(cast.author).post(
        f"/design/items/{test.pk}/links/",
        {"direction": "out", "kind": "verifies", "other": "UN-1"},
        follow=True,
    )
    assert "may not “verifies” a user need" in response.content.decode()
    assert (Link.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-003")
def test_an_unknown_id_is_named_and_nothing_is_written(cast, project, signed_in):
    test = item(cast, project, "TEST-1", "verification")
    before = event_count()
    response = signed_in(cast.author).post(
        f"/design/items/{test.pk}/links/",
        {"direction": "out", "kind": "verifies", "other": "REQ-404"},
        follow=True,
    )
    assert "There is no item “REQ-404”" in response.content.decode()
    assert event_count() == before


def _suspect(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Clarified."
    )
    link.refresh_from_db()
    return link


@pytest.mark.verifies("DES-005")
def test_a_link_is_removed_with_a_reason(cast, project, signed_in):
    link = _suspect(cast, project)
    signed_in(cast.author).post(f"/design/links/{link.pk}/remove/", {"reason": "Wrong test"})
    assert not Link.objects.exists()
    assert (last_event().action, last_event().reason) == ("design.link.removed", "Wrong test")


@pytest.mark.verifies("DES-004")
def test_a_reviewer_signs_a_suspect_link_still_valid_from_the_page(cast, project, signed_in):
    link = _suspect(cast, project)
    client = signed_in(cast.reviewer)
    response = client.post(
        f"/design/links/{link.pk}/clear/",
        {
            "password": PASSWORD,
            "content_hash": content_hash(link.signature_content()),
            "reason": "Test still covers it",
            "next": f"/design/items/{link.target_id}/",
        },
    )
    assert response.url == f"/design/items/{link.target_id}/"
    link.refresh_from_db()
    assert (link.state, link.target_version) == (LinkState.VALID, 2)
    assert last_event().action == "design.link.cleared"
    assert Signature.objects.get().meaning == "link_still_valid"


@pytest.mark.verifies("DES-005")
def test_a_removal_never_sends_the_browser_to_another_site(cast, project, signed_in):
    link = _suspect(cast, project)
    response = signed_in(cast.author).post(
        f"/design/links/{link.pk}/remove/", {"reason": "Gone", "next": "//evil.example/"}
    )
    assert response.url == f"/design/items/{link.source_id}/"


@pytest.mark.verifies("DES-004", refusal=True)
def test_a_wrong_password_signs_nothing(cast, project, signed_in):
    link = _suspect(cast, project)
    before = event_count()
    signed_in(cast.reviewer).post(
        f"/design/links/{link.pk}/clear/",
        {"password": "wrong", "content_hash": content_hash(link.signature_content())},
    )
    link.refresh_from_db()
    assert (link.state, Signature.objects.count()) == (LinkState.SUSPECT, 0)
    # Only the failed signing is recorded (core's security event), no design change.
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


@pytest.mark.verifies("DES-004", refusal=True)
def test_an_author_without_review_cannot_clear_a_suspect_link(cast, project, signed_in):
    link = _suspect(cast, project)
    response = signed_in(cast.author).post(
        f"/design/links/{link.pk}/clear/", {"password": PASSWORD}
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.state == LinkState.SUSPECT


@pytest.mark.verifies("DES-004")
def test_the_suspect_page_says_who_changed_what(cast, project, signed_in):
    link = _suspect(cast, project)
    page = signed_in(cast.reviewer).get(f"/design/projects/{project.pk}/suspect/")
    assert page.context["rows"] == [link]
    assert "Alex Author" in page.content.decode()


@pytest.mark.verifies("DES-044")
def test_the_suspect_page_takes_the_same_queries_however_many_links(cast, project, signed_in):
    client = signed_in(cast.reviewer)
    req = item(cast, project, "REQ-1", "design_input")

    def tests(numbers):
        for n in numbers:
            test = item(cast, project, f"TEST-{n}", "verification")
            design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
            design.edit_item(
                reason="Clarified.", actor=cast.author, item=test, title="T", text_=f"v2 {n}"
            )

    tests(range(2))
    few = queries(client, f"/design/projects/{project.pk}/suspect/")
    tests(range(2, 12))
    assert queries(client, f"/design/projects/{project.pk}/suspect/") == few
