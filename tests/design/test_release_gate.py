"""After release (the project's current baseline signed) what the released design holds
is changed only as part of an approved design change naming it (ISO 13485 7.3.9): an
edit, retiring an item, removing a link, a re-import that would change or remove them,
and retiring risk rows whose items were released. Each refusal writes nothing."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import AuditEvent
from openqms.design.actions import baselines, changes
from openqms.design.actions import items as design
from openqms.design.importing import ImportRefused, import_files
from openqms.design.models import DesignProject, Item, ItemState, Link
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item

pytestmark = pytest.mark.verifies("DES-047")


def release(cast, project):
    made = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )
    return baselines.sign_baseline(actor=cast.qa_lead, baseline=made, credentials=SIGN)


def approved(cast, project, affected, title="Drop REQ-2"):
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title=title,
        description="Remove what is no longer needed.",
        reason="Design review 3.",
        affected_items=affected,
        risk_assessment="No hazard affected.",
    )
    return changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)


@pytest.fixture
def released_pair(cast, project):
    req = item(cast, project, "REQ-2", "design_input")
    test = item(cast, project, "TEST-2", "verification")
    link = design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    release(cast, project)
    return req, test, link


@pytest.mark.verifies("DES-003", refusal=True)
def test_retiring_a_released_item_without_a_change_is_refused_and_writes_nothing(
    cast, released_pair
):
    req, _, _ = released_pair
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="retire REQ-2 as part of a design change"):
        design.retire_item(actor=cast.author, item=req, reason="Not needed.")
    assert (Item.objects.get(pk=req.pk).state, event_count()) == (ItemState.ACTIVE, before)


def test_retiring_a_released_item_within_an_approved_change_is_recorded(
    cast, project, released_pair
):
    req, _, _ = released_pair
    change = approved(cast, project, [req])
    design.retire_item(actor=cast.author, item=req, reason="Not needed.", change=change.pk)
    assert Item.objects.get(pk=req.pk).state == ItemState.RETIRED
    retired = AuditEvent.objects.filter(action="design.item.retired").get()
    assert changes_of(retired)["design_change"] == [None, change.number]


@pytest.mark.verifies("DES-047", refusal=True)
def test_removing_a_released_link_needs_an_approved_change_naming_an_end(
    cast, project, released_pair
):
    req, _test, link = released_pair
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="remove the link TEST-2 → REQ-2"):
        design.unlink_items(actor=cast.author, link=link, reason="Wrong test.")
    assert (Link.objects.filter(pk=link.pk).exists(), event_count()) == (True, before)
    change = approved(cast, project, [req])
    design.unlink_items(actor=cast.author, link=link, reason="Wrong test.", change=change)
    assert not Link.objects.filter(pk=link.pk).exists()
    event = last_event()
    assert event.action == "design.link.removed"
    assert changes_of(event)["design_change"] == [None, change.number]


HEAD = "uid,type,title,text,parent\n"


@pytest.mark.verifies("DES-048", refusal=True)
def test_a_re_import_removing_a_released_link_is_refused_and_writes_nothing(cast):
    first = HEAD + "REQ-1,,Detect,Detect AF.,\nTEST-1,,Detect test,Run it.,REQ-1\n"
    files = [("reqs.csv", first.encode())]
    import_files(actor=cast.author, files=files, project_name="Rhythm")
    release(cast, DesignProject.objects.get(name="Rhythm"))
    before = (event_count(), Link.objects.count())
    dropped = HEAD + "REQ-1,,Detect,Detect AF.,\nTEST-1,,Detect test,Run it.,\n"
    with pytest.raises(ImportRefused) as refused:
        import_files(
            actor=cast.author, files=[("reqs.csv", dropped.encode())], project_name="Rhythm"
        )
    assert any(
        "TEST-1 verifies REQ-1" in message and "release 1.0" in message
        for _, _, message in refused.value.problems
    )
    assert (event_count(), Link.objects.count()) == before


@pytest.mark.verifies("DES-047", refusal=True)
def test_adding_an_item_after_release_needs_an_approved_change_and_joins_it(
    cast, project, released_pair
):
    req, _test, _link = released_pair
    before = (event_count(), Item.objects.count())
    with pytest.raises(TransitionNotAllowed, match="add REQ-3 as part of an approved"):
        item(cast, project, "REQ-3", "design_input")
    draft = changes.create_change(
        actor=cast.author,
        project=project,
        title="Add REQ-3",
        description="A new input.",
        reason="Review.",
        affected_items=[req],
        risk_assessment="None.",
    )
    with pytest.raises(TransitionNotAllowed, match="is draft"):
        item(cast, project, "REQ-3", "design_input", change=draft)
    assert (event_count(), Item.objects.count()) == (before[0] + 1, before[1])  # the draft
    change = changes.approve_change(actor=cast.qa_lead, change=draft, credentials=SIGN)
    made = item(cast, project, "REQ-3", "design_input", change=change)
    assert change.affected_items.filter(pk=made.pk).exists()
    created = AuditEvent.objects.filter(action="design.item.created", object_id=str(made.pk))
    assert changes_of(created.get())["design_change"] == [None, change.number]
    assert last_event().action in {"design.change.item_joined", "design.item.created"}
    link = design.link_items(
        actor=cast.author, source=made, kind="derives_from", target=req, change=change
    )
    assert changes_of(last_event())["design_change"] == [None, change.number]
    assert link.pk


def test_a_file_adding_to_a_released_design_is_refused_and_writes_nothing(cast):
    first = HEAD + "REQ-1,,Detect,Detect AF.,\n"
    import_files(actor=cast.author, files=[("reqs.csv", first.encode())], project_name="Rhythm")
    release(cast, DesignProject.objects.get(name="Rhythm"))
    before = (event_count(), Item.objects.count())
    more = first + "REQ-2,,Alert,Alert the clinician.,\n"
    with pytest.raises(ImportRefused) as refused:
        import_files(actor=cast.author, files=[("reqs.csv", more.encode())], project_name="Rhythm")
    messages = [message for _, _, message in refused.value.problems]
    assert "adds 1 item(s) and 0 link(s)" in messages[0] and "REQ-2 is new" in messages
    assert (event_count(), Item.objects.count()) == before
