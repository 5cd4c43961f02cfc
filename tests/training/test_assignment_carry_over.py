"""Training assigned by hand on a revision moves to the next one when it becomes effective:
due anew when the next revision needs retraining, with its due date when it does not; it
stays "by hand", so no job role taken or left closes it."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState

from .conftest import new_revision, open_assignments

pytestmark = pytest.mark.verifies("TRN-025")

TODAY = timezone.localdate()
DUE = TODAY + dt.timedelta(days=7)


@pytest.fixture
def by_hand(cast, engineer, sop_a):
    """The author, who holds no job role requiring SOPs, is assigned SOP-001 rev A by hand."""
    return actions.assign_training(
        actor=cast.qa_lead,
        person=cast.author,
        document=sop_a.document,
        due_date=DUE,
        reason="Induction",
    )


def _events(before, action):
    return [changes_of(e) for e in events_since(before) if e.action == action]


def test_a_revision_needing_retraining_moves_hand_made_training_to_it(cast, sop_a, by_hand):
    before = event_count()
    rev_b = new_revision(cast, sop_a)
    due = TODAY + dt.timedelta(days=30)
    (moved,) = open_assignments(cast.author)
    assert (moved.revision_id, moved.by_hand, moved.due_date) == (rev_b.pk, True, due)
    assert moved.reason == "SOP-001 rev B replaced the revision still being trained on"
    by_hand.refresh_from_db()
    assert by_hand.state == AssignmentState.SUPERSEDED
    assert _events(before, "training.assignment.superseded") == [
        {
            "assignments": ["author: SOP-001 rev A", "trainee: SOP-001 rev A"],
            "state": ["open", "superseded"],
        }
    ]
    assert _events(before, "training.assignment.created") == [
        {
            "document": "SOP-001",
            "revision": "B",
            "due_date": due.isoformat(),
            "people": ["trainee"],
        },
        {
            "document": "SOP-001",
            "revision": "B",
            "due_date": due.isoformat(),
            "people": ["author"],
        },
    ]
    (trainees,) = open_assignments(cast.trainee)
    assert (trainees.revision_id, trainees.by_hand) == (rev_b.pk, False)


def test_a_minor_revision_keeps_the_hand_made_training_and_its_due_date(cast, sop_a, by_hand):
    before = event_count()
    rev_b = new_revision(cast, sop_a, no_retraining="Typo")
    (moved,) = open_assignments(cast.author)
    assert (moved.revision_id, moved.by_hand, moved.due_date) == (rev_b.pk, True, DUE)
    assert _events(before, "training.assignment.created") == [
        {"document": "SOP-001", "revision": "B", "due_date": DUE.isoformat(), "people": ["author"]},
        {
            "document": "SOP-001",
            "revision": "B",
            "due_date": (TODAY + dt.timedelta(days=30)).isoformat(),
            "people": ["trainee"],
        },
    ]
    (trainees,) = open_assignments(cast.trainee)
    assert (trainees.revision_id, trainees.by_hand) == (rev_b.pk, False)


def test_leaving_an_unrelated_job_role_keeps_the_moved_training(cast, sop_a, by_hand):
    auditing = actions.create_job_role(actor=cast.qa_lead, name="Internal auditor")
    holding = actions.take_job_role(actor=cast.qa_lead, person=cast.author, job_role=auditing)
    rev_b = new_revision(cast, sop_a)
    before = event_count()
    actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Moved to R&D")
    assert [e.action for e in events_since(before)] == ["training.job_role.left"]
    (kept,) = open_assignments(cast.author)
    assert (kept.revision_id, kept.by_hand) == (rev_b.pk, True)
    assert not Assignment.objects.filter(state=AssignmentState.CANCELLED).exists()
