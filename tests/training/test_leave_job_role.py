import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.documents.models import DocumentType
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState

from .conftest import SIGN, new_document, new_revision, open_assignments

pytestmark = pytest.mark.verifies("TRN-012")


def _leave(cast, reason="Moved to sales"):
    holding = cast.trainee.job_roles_held.get(ended_on__isnull=True)
    return actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason=reason)


def test_leaving_a_job_role_cancels_open_training_nothing_else_requires(cast, engineer, sop_a):
    before = event_count()
    holding = _leave(cast)
    assert (holding.ended_on, holding.ended_by, holding.end_reason) == (
        timezone.localdate(),
        cast.qa_lead,
        "Moved to sales",
    )
    [left, cancelled] = events_since(before)
    assert (left.action, changes_of(left)) == (
        "training.job_role.left",
        {"job_role": ["Software engineer", None], "ended_on": timezone.localdate().isoformat()},
    )
    assert (cancelled.action, changes_of(cancelled)) == (
        "training.assignment.cancelled",
        {"state": ["open", "cancelled"], "assignments": ["trainee: SOP-001 rev A"]},
    )
    (assignment,) = Assignment.objects.filter(person=cast.trainee)
    assert assignment.state == AssignmentState.CANCELLED
    assert assignment.closed_reason == "No longer required: left the job role “Software engineer”"


def test_after_leaving_a_later_revision_assigns_nothing_but_history_stays(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    _leave(cast)
    rev_b = new_revision(cast, sop_a)
    assert not Assignment.objects.filter(revision=rev_b).exists()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.COMPLETED
    assert Signature.objects.filter(
        object_type="training.assignment", object_id=str(assignment.pk), meaning="trained"
    ).exists()
    assert cast.trainee.job_roles_held.count() == 1  # the ended holding is kept


def test_training_another_job_role_requires_stays_open(cast, engineer, sop_a):
    auditor_role = actions.create_job_role(actor=cast.qa_lead, name="Internal auditor")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=auditor_role, kind="clause", clause="4.2.4"
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=auditor_role)
    holding = cast.trainee.job_roles_held.get(job_role=engineer)
    before = event_count()
    actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Moved to audit")
    assert [e.action for e in events_since(before)] == ["training.job_role.left"]
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [sop_a.pk]


def test_training_assigned_by_hand_stays_open(cast, engineer, sop_a):
    form = new_document(cast, DocumentType.objects.get(code="form"), "Cleaning log")
    by_hand = actions.assign_training(
        actor=cast.qa_lead,
        person=cast.trainee,
        document=form.document,
        due_date=timezone.localdate(),
        reason="Induction",
    )
    _leave(cast)
    by_hand.refresh_from_db()
    assert by_hand.state == AssignmentState.OPEN
    assert [a.pk for a in open_assignments(cast.trainee)] == [by_hand.pk]


def test_leaving_twice_or_before_the_start_is_refused(cast, engineer, sop_a):
    holding = cast.trainee.job_roles_held.get()
    before = event_count()
    with pytest.raises(InvalidInput, match="before it started"):
        actions.leave_job_role(
            actor=cast.qa_lead,
            holding=holding,
            reason="Error",
            ended_on=holding.started_on.replace(year=holding.started_on.year - 1),
        )
    assert event_count() == before
    _leave(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="already ended"):
        actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Again")
    assert event_count() == before
    holding.refresh_from_db()
    assert holding.end_reason == "Moved to sales"
