"""Signed design records cover what was stored when they were recorded or submitted, so
normal later work (editing an affected item, refreshing an open baseline, renaming the
device) leaves their signatures intact."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.integrity import check_signatures
from openqms.core.models import Signature
from openqms.design.actions import baselines, changes, reviews, risk
from openqms.design.actions import items as design
from openqms.design.models import DesignChange, DesignReview, ReviewState
from openqms.devices.actions.register import edit_device
from openqms.qms.actions.families import create_family
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item
from tests.design.risk_helpers import evaluated, situation
from tests.devices.conftest import make_device


@pytest.fixture
def device(cast):
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    return make_device(cast, family)


def intact():
    found = check_signatures()
    assert found.checked >= 1
    assert list(found) == []


def rename(cast, device):
    edit_device(actor=cast.qa_lead, device=device, name="RhythmCheck Pro", reason="Renamed.")


@pytest.mark.verifies("DES-028")
def test_an_approved_change_stays_intact_when_its_item_is_edited_and_device_renamed(cast, device):
    project = design.create_project(actor=cast.author, name="RhythmCheck", device=device)
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="Tighter AF threshold",
        description="Lower the AF detection threshold to 30 s.",
        reason="Field feedback.",
        affected_items=[req],
        risk_assessment="No new hazard.",
        reverify_items=[test],
    )
    stored = DesignChange.objects.get(pk=change.pk)
    assert stored.affected_versions == ["REQ-1 v1"]
    assert stored.reverify_versions == ["TEST-1 v1"]
    assert stored.device_name == str(device)
    changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)
    intact()
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Now 30 s."
    )
    rename(cast, device)
    intact()
    assert DesignChange.objects.get(pk=change.pk).signature_content()["affected_items"] == [
        "REQ-1 v1"
    ]


@pytest.mark.verifies("DES-027")
def test_a_review_signed_on_a_baseline_stays_intact_when_items_change_and_it_is_refreshed(
    cast, project
):
    req = item(cast, project, "REQ-1", "design_input")
    base = baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    review = reviews.create_review(
        actor=cast.author,
        project=project,
        title="Inputs review",
        items=[req],
        baseline=base,
        participants=[cast.author],
        independent_reviewer=cast.reviewer,
        outcome="passed",
    )
    reviews.submit_review(actor=cast.author, review=review)
    stored = DesignReview.objects.get(pk=review.pk)
    assert stored.item_versions == ["REQ-1 v1"]
    assert stored.baseline_digest == base.digest and base.digest
    reviews.sign_review(actor=cast.author, review=review, credentials=SIGN)
    reviews.sign_review(actor=cast.reviewer, review=review, credentials=SIGN)
    assert DesignReview.objects.get(pk=review.pk).state == ReviewState.COMPLETE
    intact()
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Changed."
    )
    refreshed = baselines.refresh_baseline(actor=cast.author, baseline=base)
    assert refreshed.digest != stored.baseline_digest
    intact()


@pytest.mark.verifies("DES-035")
def test_a_signed_risk_report_stays_intact_when_the_device_is_renamed(cast, device):
    design.create_project(actor=cast.author, name="RhythmCheck", device=device)
    file = risk.create_risk_file(actor=cast.author, device=device)
    evaluated(cast, situation(cast, file))
    risk.edit_risk_file(actor=cast.author, file=file, overall_residual_risk="Acceptable.")
    risk.sign_report(
        actor=cast.qa_lead,
        file=file,
        credentials=SIGN,
        conclusion="All reduced.",
        residual_acceptable="yes",
        plan_followed="yes",
    )
    intact()
    rename(cast, device)
    intact()
    assert Signature.objects.filter(meaning="risk_report_signed").count() == 1


@pytest.mark.verifies("DES-027", refusal=True)
def test_a_reviewer_who_edited_a_reviewed_item_is_not_independent(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    design.edit_item(
        reason="Clarified.",
        actor=cast.reviewer,
        item=req,
        title="REQ-1",
        text_="Edited by reviewer.",
    )
    before = (event_count(), DesignReview.objects.count())
    with pytest.raises(InvalidInput, match="must not have written"):
        reviews.create_review(
            actor=cast.author,
            project=project,
            title="Inputs review",
            items=[req],
            participants=[cast.author],
            independent_reviewer=cast.reviewer,
            outcome="passed",
        )
    assert (event_count(), DesignReview.objects.count()) == before


@pytest.mark.verifies("DES-027", refusal=True)
def test_a_reviewer_who_edited_an_item_of_the_reviewed_baseline_is_not_independent(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    design.edit_item(
        reason="Clarified.",
        actor=cast.reviewer,
        item=req,
        title="REQ-1",
        text_="Edited by reviewer.",
    )
    base = baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    before = (event_count(), DesignReview.objects.count())
    with pytest.raises(InvalidInput, match="REQ-1"):
        reviews.create_review(
            actor=cast.author,
            project=project,
            title="Baseline review",
            baseline=base,
            participants=[cast.author],
            independent_reviewer=cast.reviewer,
            outcome="passed",
        )
    assert (event_count(), DesignReview.objects.count()) == before


@pytest.mark.verifies("DES-027", "DES-028")
def test_submitting_records_what_the_signatures_cover(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    review = reviews.create_review(
        actor=cast.author,
        project=project,
        title="Inputs review",
        items=[req],
        participants=[cast.author],
        independent_reviewer=cast.reviewer,
        outcome="passed",
    )
    reviews.submit_review(actor=cast.author, review=review)

    event = last_event()
    assert event.action == "design.review.submitted"
    assert changes_of(event)["items"] == [None, ["REQ-1 v1"]]
    assert changes_of(event)["state"] == ["draft", "signing"]
