"""Editing an item: a reason is required and kept in the item's history; an edit may be
part of an open design change (the item joins its affected items); after release (the
current baseline signed) an edit must be part of one (ISO 13485 7.3.9)."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.design.actions import baselines, changes
from openqms.design.actions import items as design
from openqms.design.models import DesignChange, Item
from openqms.testing import changes_of, event_count, events_since, last_event
from tests.design.conftest import SIGN, item
from tests.design.test_api_pages import Api

pytestmark = pytest.mark.verifies("DES-053")


def _change(cast, project, affected, title="Tighter AF threshold"):
    return changes.create_change(
        actor=cast.author,
        project=project,
        title=title,
        description="Lower the AF detection threshold to 30 s.",
        reason="Field feedback.",
        affected_items=affected,
        risk_assessment="No hazard affected.",
    )


@pytest.fixture
def req(cast, project):
    return item(cast, project, "REQ-1", "design_input")


@pytest.fixture
def released(cast, project, req):
    made = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    return baselines.sign_baseline(actor=cast.qa_lead, baseline=made, credentials=SIGN)


def _unchanged(req, before):
    req.refresh_from_db()
    assert (req.version, req.text, event_count()) == (1, "The text of REQ-1.", before)


def test_an_edit_keeps_its_reason_in_the_items_history(cast, req):
    design.edit_item(actor=cast.author, item=req, title="REQ-1", text_="v2", reason="Clearer.")
    event = last_event()
    assert (event.action, event.reason) == ("design.item.edited", "Clearer.")
    assert changes_of(event) == {"text": ["The text of REQ-1.", "v2"], "version": [1, 2]}


def test_an_edit_without_a_reason_is_refused_and_writes_nothing(cast, req):
    before = event_count()
    with pytest.raises(InvalidInput, match="reason"):
        design.edit_item(actor=cast.author, item=req, title="REQ-1", text_="v2", reason=" ")
    _unchanged(req, before)


def test_an_item_edited_as_part_of_a_draft_change_joins_its_affected_items(cast, project, req):
    other = item(cast, project, "REQ-2", "design_input")
    change = _change(cast, project, [other])
    before = event_count()
    design.edit_item(
        actor=cast.author, item=req, title="REQ-1", text_="v2", reason="For DC.", change=change
    )
    edited, joined, *_ = events_since(before)
    assert edited.action == "design.item.edited"
    assert changes_of(edited)["design_change"] == [None, change.number]
    assert (joined.action, joined.object_id) == ("design.change.item_joined", str(change.pk))
    assert changes_of(joined) == {"affected_items": [None, "REQ-1 v1"], "state": [None, "draft"]}
    change.refresh_from_db()
    assert set(change.affected_items.values_list("uid", flat=True)) == {"REQ-1", "REQ-2"}
    assert change.affected_versions == ["REQ-1 v1", "REQ-2 v1"]


def test_an_approved_changes_signed_assessment_stays_as_signed_when_an_item_joins(
    cast, project, req
):
    other = item(cast, project, "REQ-2", "design_input")
    change = changes.approve_change(
        actor=cast.qa_lead, change=_change(cast, project, [other]), credentials=SIGN
    )
    signed = change.signature_content()
    design.edit_item(
        actor=cast.author, item=req, title="REQ-1", text_="v2", reason="For DC.", change=change
    )
    change = DesignChange.objects.get(pk=change.pk)
    assert change.affected_items.filter(pk=req.pk).exists()
    assert change.signature_content() == signed  # what the approver signed is unchanged
    joined = [e for e in events_since(0) if e.action == "design.change.item_joined"]
    assert changes_of(joined[-1])["state"] == [None, "approved"]


def test_an_item_already_affected_does_not_join_again(cast, project, req):
    change = _change(cast, project, [req])
    before = event_count()
    design.edit_item(
        actor=cast.author, item=req, title="REQ-1", text_="v2", reason="For DC.", change=change
    )
    assert [e.action for e in events_since(before)] == ["design.item.edited"]


def test_a_done_change_is_refused_and_nothing_is_written(cast, project, req):
    change = changes.approve_change(
        actor=cast.qa_lead, change=_change(cast, project, [req]), credentials=SIGN
    )
    baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    changes.complete_change(actor=cast.author, change=change, baseline_name="1.1")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="recorded or approved and not yet done"):
        design.edit_item(
            actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r", change=change
        )
    _unchanged(req, before)


def test_another_projects_change_is_refused_and_nothing_is_written(cast, project, req):
    elsewhere = design.create_project(actor=cast.author, name="Other")
    change = _change(cast, elsewhere, [item(cast, elsewhere, "REQ-9", "design_input")])
    before = event_count()
    with pytest.raises(InvalidInput, match="Choose a design change of RhythmCheck"):
        design.edit_item(
            actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r", change=change
        )
    _unchanged(req, before)
    assert not change.affected_items.filter(pk=req.pk).exists()


@pytest.mark.verifies("DES-047", refusal=True)
def test_after_release_an_edit_without_a_design_change_is_refused(cast, req, released):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        design.edit_item(actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r")
    assert "“release 1.0” is signed" in refused.value.message
    assert "part of a design change" in refused.value.message
    _unchanged(req, before)


def _approved(cast, change):
    return changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)


def test_after_release_an_edit_within_an_approved_change_naming_it_is_saved(
    cast, project, req, released
):
    change = _approved(cast, _change(cast, project, [req]))
    design.edit_item(
        actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r", change=change
    )
    assert Item.objects.get(pk=req.pk).version == 2
    assert changes_of(last_event())["design_change"] == [None, change.number]


@pytest.mark.verifies("DES-047", refusal=True)
def test_after_release_a_draft_change_is_refused_and_writes_nothing(cast, project, req, released):
    change = _change(cast, project, [req])
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        design.edit_item(
            actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r", change=change
        )
    assert "approved design change that names it" in refused.value.message
    assert f"{change.number} is draft" in refused.value.message
    _unchanged(req, before)


@pytest.fixture
def req2(cast, project, req):
    return item(cast, project, "REQ-2", "design_input")


def test_after_release_an_approved_change_not_naming_the_item_is_refused(
    cast, project, req, req2, released
):
    other = Item.objects.get(uid="REQ-2")
    change = _approved(cast, _change(cast, project, [other]))
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        design.edit_item(
            actor=cast.author, item=req, title="REQ-1", text_="v2", reason="r", change=change
        )
    assert "does not name REQ-1" in refused.value.message
    _unchanged(req, before)
    assert not change.affected_items.filter(pk=req.pk).exists()


def test_the_edit_page_offers_only_the_projects_open_changes(cast, project, req, signed_in):
    open_ = _change(cast, project, [req], title="Open one")
    done = changes.approve_change(
        actor=cast.qa_lead, change=_change(cast, project, [req], title="Done one"), credentials=SIGN
    )
    baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    changes.complete_change(actor=cast.author, change=done, baseline_name="1.1")
    page = signed_in(cast.author).get(f"/design/items/{req.pk}/edit/").content.decode()
    assert "Part of design change" in page and "Reason for the change" in page
    assert open_.number in page and done.number not in page


def test_the_edit_page_saves_with_a_reason_and_a_change(cast, project, req, signed_in):
    change = _change(cast, project, [req])
    response = signed_in(cast.author).post(
        f"/design/items/{req.pk}/edit/",
        {"title": "REQ-1", "text": "v2", "based_on": 1, "reason": "Why.", "change": change.pk},
    )
    assert response.status_code == 302
    edited = [e for e in events_since(0) if e.action == "design.item.edited"][-1]
    assert (edited.reason, changes_of(edited)["design_change"]) == ("Why.", [None, change.number])


def test_the_edit_page_says_why_a_released_item_needs_a_change(cast, req, released, signed_in):
    client = signed_in(cast.author)
    page = client.get(f"/design/items/{req.pk}/edit/").content.decode()
    assert "the current baseline “release 1.0” is signed" in page and "record one" in page
    before = event_count()
    response = client.post(
        f"/design/items/{req.pk}/edit/",
        {"title": "REQ-1", "text": "v2", "based_on": 1, "reason": "r"},
    )
    assert response.status_code == 400
    assert "edit REQ-1 as part of a design change" in response.content.decode()
    _unchanged(req, before)


def test_the_api_edit_needs_a_reason_and_names_its_change(cast, project, req, client, released):
    api = Api(client, cast.author)
    change = _approved(cast, _change(cast, project, [req]))
    before = event_count()
    body = {"title": "REQ-1", "text": "v2", "based_on": 1}
    assert api.send("patch", f"/items/{req.pk}", body).status_code == 422  # no reason
    refused = api.send("patch", f"/items/{req.pk}", body | {"reason": "r"})
    assert (refused.status_code, refused.json()["code"]) == (409, "transition_not_allowed")
    _unchanged(req, before)
    saved = api.send("patch", f"/items/{req.pk}", body | {"reason": "r", "change": change.pk})
    assert (saved.status_code, saved.json()["version"]) == (200, 2)
    assert changes_of(last_event())["design_change"] == [None, change.number]
