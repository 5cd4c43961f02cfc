"""Review fixes for links: a "still valid" signature stays intact, a signed link cannot
be removed, and retiring an end resolves the suspect links it leaves behind."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.integrity import check_signatures
from openqms.design import trace
from openqms.design.actions import items as design
from openqms.design.models import Gap, Link, LinkState
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item


def suspect_link(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Changed."
    )
    return req, test, link


@pytest.mark.verifies("DES-004")
def test_a_link_signed_still_valid_reads_intact_after_the_signature_and_later(cast, project):
    _, test, link = suspect_link(cast, project)
    design.clear_suspect(actor=cast.reviewer, link=link, credentials=SIGN, comment="Holds")
    found = check_signatures()
    assert (list(found), found.checked) == ([], 1)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="Other steps."
    )
    design.retire_item(actor=cast.author, item=test, reason="Replaced")
    assert list(check_signatures()) == []


@pytest.mark.verifies("DES-005", refusal=True)
def test_a_signed_link_cannot_be_removed_and_nothing_is_written(cast, project):
    _, _, link = suspect_link(cast, project)
    design.clear_suspect(actor=cast.reviewer, link=link, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="signed reviews keep it"):
        design.unlink_items(actor=cast.author, link=link, reason="Wrong test")
    assert (Link.objects.filter(pk=link.pk).exists(), event_count()) == (True, before)


@pytest.mark.verifies("DES-005")
def test_an_unsigned_link_can_still_be_removed(cast, project):
    _, _, link = suspect_link(cast, project)
    design.unlink_items(actor=cast.author, link=link, reason="Wrong test")
    assert not Link.objects.filter(pk=link.pk).exists()
    assert last_event().action == "design.link.removed"


@pytest.mark.verifies("DES-004")
def test_retiring_an_end_resolves_its_suspect_links_and_their_gaps(cast, project):
    req, test, link = suspect_link(cast, project)
    assert Gap.objects.filter(item=test, rule="suspect").exists()
    before = event_count()
    design.retire_item(actor=cast.author, item=req, reason="Dropped")
    link.refresh_from_db()
    assert (link.state, link.suspect_since, link.changed_end) == (LinkState.VALID, None, "")
    assert event_count() == before + 2
    event = last_event()
    assert (event.action, event.reason) == ("design.link.resolved", "an end was retired")
    assert changes_of(event) == {
        "resolved": [None, ["TEST-1 verifies REQ-1"]],
        "state": ["suspect", "valid"],
    }
    assert not Gap.objects.filter(item=test, rule="suspect").exists()
    stored = sorted(Gap.objects.filter(project=project).values_list("item__uid", "rule"))
    assert stored == sorted((r.uid, r.rule) for r in trace.full_check(project.pk))
