"""Items, links and suspect links: the writers every design area builds on."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.models import Signature
from openqms.design.actions import items as design
from openqms.design.models import Item, Link, LinkState
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item


@pytest.mark.verifies("DES-002")
def test_an_item_is_created_at_version_one_and_audited(cast, project):
    need = item(cast, project, "UN-1", "user_need", "Clinicians see AF episodes.")
    assert (need.version, need.item_type.code) == (1, "user_need")
    event = last_event()
    assert event.action == "design.item.created"
    assert changes_of(event)["uid"] == [None, "UN-1"]


@pytest.mark.verifies("DES-003")
def test_a_test_verifying_a_user_need_directly_is_refused_and_writes_nothing(cast, project):
    need = item(cast, project, "UN-1", "user_need")
    test = item(cast, project, "TEST-1", "verification")
    before = event_count()
    with pytest.raises(InvalidInput, match="may not “verifies” a user need"):
        design.link_items(actor=cast.author, source=test, kind="verifies", target=need)
    assert (Link.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_create_items(cast, project):
    before = event_count()
    with pytest.raises(PermissionRefused):
        design.create_item(actor=cast.trainee, project=project, uid="UN-9", item_type="user_need")
    assert (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-004")
def test_an_edit_marks_links_suspect_and_a_signed_review_clears_them(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.",
        actor=cast.author,
        item=req,
        title="REQ-1",
        text_="Changed.",
        based_on=1,
    )
    link.refresh_from_db()
    assert (link.state, link.changed_end, link.target_version) == (LinkState.SUSPECT, "target", 2)
    assert last_event().action == "design.link.suspect"
    design.clear_suspect(actor=cast.reviewer, link=link, credentials=SIGN, comment="Still holds")
    link.refresh_from_db()
    assert (link.state, link.target_version) == (LinkState.VALID, 2)
    assert last_event().action == "design.link.cleared"
    assert Signature.objects.filter(meaning="link_still_valid").count() == 1


@pytest.mark.verifies("DES-004")
def test_changing_the_other_end_resolves_a_suspect_link(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Changed."
    )
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="Test updated."
    )
    link.refresh_from_db()
    assert (link.state, link.source_version, link.target_version) == (LinkState.VALID, 2, 2)
    assert last_event().action == "design.link.resolved"
