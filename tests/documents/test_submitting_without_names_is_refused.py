"""Submitting a revision names its reviewers and approvers and a due date; without them,
or with names that break a rule, nothing is submitted and nothing is written."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment
from openqms.testing import changes_of, event_count, last_event, named

SOON = timezone.localdate() + dt.timedelta(days=7)


def _refused(cast, draft, message, **names):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.take_step(actor=cast.author, revision=draft, step="submit", **names)
    assert refused.value.message == message
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert event_count() == before
    assert not ReviewAssignment.objects.exists()


@pytest.mark.verifies("DOC-006", refusal=True)
def test_submitting_without_names_is_refused(cast, draft):
    _refused(
        cast,
        draft,
        "Name at least one reviewer: a Procedure (SOP) is reviewed before approval.",
    )


def test_submitting_without_an_approver_is_refused(cast, draft):
    _refused(
        cast,
        draft,
        "Name at least one approver.",
        reviewers=[cast.reviewer],
        due_date=SOON,
    )


@pytest.mark.verifies("DOC-006", refusal=True)
def test_submitting_without_a_due_date_is_refused(cast, draft):
    _refused(
        cast,
        draft,
        "Give the date the review and approval are due by.",
        reviewers=[cast.reviewer],
        approvers=[cast.approver],
    )


def test_a_due_date_in_the_past_is_refused(cast, draft):
    names = named(cast, days=-1)
    _refused(cast, draft, "The due date cannot be in the past.", **names)


@pytest.mark.verifies("DOC-006", refusal=True)
def test_the_author_cannot_name_themselves(cast, draft):
    _refused(
        cast,
        draft,
        "The author cannot review their own revision: name someone else.",
        **named(cast, reviewers=[cast.author]),
    )


@pytest.mark.verifies("DOC-006", refusal=True)
def test_someone_without_the_permission_cannot_be_named(cast, draft):
    _refused(
        cast,
        draft,
        "Taylor Trainee may not approve documents: name someone with that permission.",
        **named(cast, approvers=[cast.trainee]),
    )


def test_the_reviewer_cannot_also_be_named_approver_when_the_type_says_so(cast, draft):
    _refused(
        cast,
        draft,
        "Quinn Avery is named as reviewer and approver: for a Procedure (SOP) the reviewer "
        "cannot also approve.",
        **named(cast, reviewers=[cast.qa_lead], approvers=[cast.qa_lead]),
    )


@pytest.mark.verifies("DOC-006")
def test_submitting_with_names_records_them_with_the_submission(cast, draft):
    before = event_count()
    revision = actions.take_step(
        actor=cast.author,
        revision=draft,
        step="submit",
        **named(cast, reviewers=[cast.reviewer, cast.qa_lead], days=7),
    )
    assert revision.state == "in_review"
    assert event_count() == before + 1
    event = last_event()
    assert event.action == "documents.revision.submitted"
    assert changes_of(event) == {
        "state": ["draft", "in_review"],
        "step": "submit",
        "reviewers": ["reviewer", "qa-lead"],
        "approvers": ["approver"],
        "due_date": SOON.isoformat(),
        "approval_mode": "all",
    }
    rows = ReviewAssignment.objects.order_by("role", "position").values_list(
        "role", "position", "person__username", "due_date", "signed_at", "ended_at"
    )
    assert list(rows) == [
        ("approver", 1, "approver", SOON, None, None),
        ("reviewer", 1, "reviewer", SOON, None, None),
        ("reviewer", 2, "qa-lead", SOON, None, None),
    ]
