"""Baselines: a snapshot of the items at their versions, signed by the QA lead."""

import pytest

from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.models import Signature
from openqms.core.signatures import Credentials
from openqms.design import snapshots
from openqms.design.actions import baselines, changes
from openqms.design.actions import items as design
from openqms.design.models import Baseline, BaselineItem, BaselineLink, BaselineState
from openqms.testing import changes_of, event_count, events_since, last_event
from tests.design.conftest import SIGN, item


@pytest.fixture
def traced(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    return req, test


def freeze(cast, project, name="freeze 1"):
    return baselines.create_baseline(
        actor=cast.author, project=project, name=name, kind="design_freeze"
    )


@pytest.mark.verifies("DES-024")
def test_a_baseline_holds_the_items_and_links_at_their_versions_then(cast, project, traced):
    base = freeze(cast, project)
    event = last_event()
    assert event.action == "design.baseline.created"
    assert changes_of(event)["items"] == [None, 2]
    assert changes_of(event)["links"] == [None, 1]
    project.refresh_from_db()
    assert project.current_baseline == base
    held = dict(BaselineItem.objects.filter(baseline=base).values_list("uid", "version"))
    assert held == {"REQ-1": 1, "TEST-1": 1}
    link = BaselineLink.objects.get(baseline=base)
    assert (link.source_uid, link.kind, link.target_uid) == ("TEST-1", "verifies", "REQ-1")
    assert base.digest == snapshots.stored_digest(base) and len(base.digest) == 64


@pytest.mark.verifies("DES-024")
def test_a_duplicate_baseline_name_is_refused_and_writes_nothing(cast, project, traced):
    freeze(cast, project)
    before = event_count()
    with pytest.raises(InvalidInput, match="already has a baseline"):
        freeze(cast, project, name="FREEZE 1")
    assert (Baseline.objects.count(), event_count()) == (1, before)


@pytest.mark.verifies("DES-025")
def test_the_qa_lead_signs_a_baseline(cast, project, traced):
    base = freeze(cast, project)
    baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    base.refresh_from_db()
    assert base.state == BaselineState.SIGNED and base.signed_at is not None
    assert last_event().action == "design.baseline.signed"
    assert Signature.objects.filter(meaning="baseline_signed", signer=cast.qa_lead).count() == 1


@pytest.mark.verifies("DES-025", refusal=True)
@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_someone_without_sign_cannot_sign_a_baseline(cast, project, traced, who):
    base = freeze(cast, project)
    before = event_count()
    with pytest.raises(PermissionRefused):
        baselines.sign_baseline(actor=getattr(cast, who), baseline=base, credentials=SIGN)
    base.refresh_from_db()
    assert (base.state, Signature.objects.count(), event_count()) == ("open", 0, before)


@pytest.mark.verifies("DES-025", refusal=True)
def test_a_baseline_cannot_be_signed_twice(cast, project, traced):
    base = freeze(cast, project)
    baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    assert (Signature.objects.count(), event_count()) == (1, before)


@pytest.mark.verifies("DES-025", refusal=True)
def test_a_bad_password_signs_nothing(cast, project, traced):
    base = freeze(cast, project)
    before = event_count()
    with pytest.raises(ReauthenticationFailed):
        baselines.sign_baseline(
            actor=cast.qa_lead, baseline=base, credentials=Credentials("wrong password")
        )
    base.refresh_from_db()
    assert (base.state, Signature.objects.count()) == ("open", 0)
    # A failed re-authentication is itself recorded; the signing step is not.
    assert all(e.action != "design.baseline.signed" for e in events_since(before))


@pytest.mark.verifies("DES-025", refusal=True)
def test_a_baseline_with_suspect_links_is_not_signed_until_reviewed(cast, project, traced):
    req, _ = traced
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Changed."
    )
    base = freeze(cast, project)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="1 suspect link"):
        baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    assert (Signature.objects.count(), event_count()) == (0, before)
    design.clear_suspect(
        actor=cast.reviewer, link=design.Link.objects.get(), credentials=SIGN, comment="Holds"
    )
    with pytest.raises(TransitionNotAllowed, match="refresh"):
        baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    baselines.refresh_baseline(actor=cast.author, baseline=base)
    assert last_event().action == "design.baseline.refreshed"
    baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)


@pytest.mark.verifies("DES-025", refusal=True)
def test_a_snapshot_changed_behind_its_digest_cannot_be_signed(cast, project, traced):
    base = freeze(cast, project)
    BaselineItem.objects.filter(baseline=base, uid="REQ-1").update(text="Tampered.")
    with pytest.raises(TransitionNotAllowed, match="no longer matches its digest"):
        baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    assert Signature.objects.count() == 0


@pytest.mark.verifies("DES-025")
def test_a_signed_baseline_keeps_its_snapshot_while_items_change(cast, project, traced):
    req, test = traced
    base = freeze(cast, project)
    baselines.sign_baseline(actor=cast.qa_lead, baseline=base, credentials=SIGN)
    change = changes.create_change(  # after a signed baseline, edits are design changes
        actor=cast.author,
        project=project,
        title="Version two",
        description="REQ-1 reworded.",
        reason="Clearer.",
        affected_items=[req, test],
        risk_assessment="No hazard affected.",
    )
    change = changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)
    design.edit_item(
        reason="Clarified.",
        actor=cast.author,
        item=req,
        title="REQ-1",
        text_="Version two.",
        change=change,
    )
    design.retire_item(actor=cast.author, item=test, reason="Replaced", change=change)
    held = BaselineItem.objects.get(baseline=base, uid="REQ-1")
    assert (held.version, held.text) == (1, "The text of REQ-1.")
    assert BaselineItem.objects.filter(baseline=base).count() == 2
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="is signed"):
        baselines.refresh_baseline(actor=cast.author, baseline=base)
    assert event_count() == before
    assert snapshots.stored_digest(base) == base.digest


@pytest.mark.verifies("DES-024")
def test_refreshing_an_open_baseline_takes_the_current_versions(cast, project, traced):
    req, _ = traced
    base = freeze(cast, project)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Version two."
    )
    old = base.digest
    baselines.refresh_baseline(actor=cast.author, baseline=base)
    base.refresh_from_db()
    assert BaselineItem.objects.get(baseline=base, uid="REQ-1").version == 2
    assert base.version == 2 and base.digest != old
    assert changes_of(last_event())["digest"] == [old, base.digest]
