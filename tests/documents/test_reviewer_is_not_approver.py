"""Segregation of duties: whoever reviewed a revision does not also approve it (per type)."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.documents import actions
from openqms.testing import changes_of, event_count, last_event, named
from tests.documents.conftest import SIGN
from tests.documents.test_api_documents import Api

REFUSAL = (
    "You reviewed this revision, so someone else must approve it: "
    "the same person cannot both review and approve it."
)


@pytest.fixture
def reviewed_by_qa(cast, draft):
    """SOP-001 rev A in review, reviewed by the QA lead (who may also approve)."""
    names = named(cast, reviewers=[cast.qa_lead])
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **names)
    return actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)


@pytest.mark.verifies("DOC-003", refusal=True)
def test_the_reviewer_cannot_also_approve_the_same_revision(cast, reviewed_by_qa):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(
            actor=cast.qa_lead, revision=reviewed_by_qa, step="approve", credentials=SIGN
        )
    assert refused.value.message == REFUSAL
    reviewed_by_qa.refresh_from_db()
    assert reviewed_by_qa.state == "in_review"
    assert event_count() == before
    assert not Signature.objects.filter(meaning="approved").exists()
    cast.qa_lead.refresh_from_db()
    assert cast.qa_lead.failed_sign_ins == 0  # refused before the password


@pytest.mark.verifies("DOC-003")
def test_someone_else_approves_the_reviewed_revision(cast, reviewed_by_qa):
    approved = actions.take_step(
        actor=cast.approver, revision=reviewed_by_qa, step="approve", credentials=SIGN
    )
    assert approved.state == "effective"


def test_the_reviewer_is_not_offered_approval_on_the_page_the_api_or_my_tasks(
    client, signed_in, cast, reviewed_by_qa
):
    revision = Api(client, cast.qa_lead).get("/SOP-001/revisions/A").json()
    assert "approve" not in revision["allowed_steps"]
    assert "review" not in revision["allowed_steps"]  # reviewed already
    page = signed_in(cast.qa_lead).get("/documents/SOP-001/A/").content.decode()
    assert REFUSAL in page  # the page says why, instead of a button
    tasks = signed_in(cast.qa_lead).get("/").content.decode()
    assert "Approve SOP-001 rev A" not in tasks


def _switch_off(actor, doc_type):
    return actions.update_document_type(
        actor=actor,
        doc_type=doc_type,
        name=doc_type.name,
        prefix=doc_type.prefix,
        digits=doc_type.digits,
        revision_scheme=doc_type.revision_scheme,
        review_interval_months=doc_type.review_interval_months,
        needs_review=doc_type.needs_review,
        retention_years=doc_type.retention_years,
        reason="Small team",
        reviewer_cannot_approve=False,
    )


def test_a_type_may_let_the_reviewer_approve(cast, sop_type, draft):
    _switch_off(cast.qa_lead, sop_type)
    names = named(cast, reviewers=[cast.qa_lead], approvers=[cast.qa_lead])
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **names)
    actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
    approved = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN
    )
    assert approved.state == "effective"


def test_the_setting_cannot_be_switched_off_while_a_revision_is_in_review(
    cast, sop_type, reviewed_by_qa
):
    # The reviewer holds the types permission: switching the rule off between their
    # review and the approval would let them approve alone.
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        _switch_off(cast.qa_lead, sop_type)
    assert refused.value.message == (
        "1 Procedure (SOP) revision is in review: the reviewer may not also approve them, "
        "so this stays on until they are approved or returned to draft."
    )
    sop_type.refresh_from_db()
    assert sop_type.reviewer_cannot_approve is True
    assert event_count() == before
    with pytest.raises(TransitionNotAllowed, match="someone else must approve it"):
        actions.take_step(
            actor=cast.qa_lead, revision=reviewed_by_qa, step="approve", credentials=SIGN
        )
    reviewed_by_qa.refresh_from_db()
    assert reviewed_by_qa.state == "in_review"


def test_the_setting_may_be_switched_on_while_revisions_are_in_review(cast, sop_type, draft):
    _switch_off(cast.qa_lead, sop_type)
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    sop_type.refresh_from_db()
    actions.update_document_type(
        actor=cast.qa_lead,
        doc_type=sop_type,
        name=sop_type.name,
        prefix=sop_type.prefix,
        digits=sop_type.digits,
        revision_scheme=sop_type.revision_scheme,
        review_interval_months=sop_type.review_interval_months,
        needs_review=sop_type.needs_review,
        retention_years=sop_type.retention_years,
        reason="Stricter again",
        reviewer_cannot_approve=True,
    )
    sop_type.refresh_from_db()
    assert sop_type.reviewer_cannot_approve is True
    assert changes_of(last_event()) == {"reviewer_cannot_approve": [False, True]}


def test_the_setting_is_on_by_default_and_changed_on_the_types_page_with_an_audit_event(
    signed_in, cast, sop_type
):
    assert sop_type.reviewer_cannot_approve is True
    client = signed_in(cast.admin)
    page = client.get("/documents/types/").content.decode()
    assert "Reviewer may approve" in page
    form = client.get(f"/documents/types/{sop_type.code}/").content.decode()
    assert "The reviewer cannot also approve" in form
    response = client.post(
        f"/documents/types/{sop_type.code}/",
        {
            "name": sop_type.name,
            "prefix": sop_type.prefix,
            "digits": sop_type.digits,
            "revision_scheme": sop_type.revision_scheme,
            "review_interval_months": sop_type.review_interval_months,
            "needs_review": "on",
            "approval_mode": "all",
            "retention_years": sop_type.retention_years,
            "reason": "Small team: one person reviews and approves",
        },
    )
    assert response.status_code == 302
    sop_type.refresh_from_db()
    assert sop_type.reviewer_cannot_approve is False
    event = last_event()
    assert event.action == "documents.type.updated"
    assert changes_of(event) == {"reviewer_cannot_approve": [True, False]}
