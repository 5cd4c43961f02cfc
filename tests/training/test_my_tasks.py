import datetime as dt

from django.utils import timezone

from openqms.core.inbox import Task, tasks_for
from openqms.training import actions
from openqms.training.models import Assignment

from .conftest import SIGN, make_person, new_document, open_assignments, set_rule, sign_all

TODAY = timezone.localdate()


def _training_tasks(user):
    return [t for t in tasks_for(user) if "training" in t.kind.lower()]


def test_my_open_training_appears_with_its_due_date(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    assert _training_tasks(cast.trainee) == [
        Task(
            "Training",
            "Train on SOP-001 rev A: Document control",
            f"/training/assignments/{assignment.pk}/",
            due=TODAY + dt.timedelta(days=30),
        )
    ]
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert _training_tasks(cast.trainee) == []


def test_a_manager_sees_their_reports_overdue_training_only(cast, engineer, sop_a):
    manager = make_person("mara", "Mara Manager")
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=manager
    )
    assert _training_tasks(manager) == []  # not overdue yet
    (assignment,) = open_assignments(cast.trainee)
    late = TODAY - dt.timedelta(days=1)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=late)
    assert _training_tasks(manager) == [
        Task(
            "Overdue training (your team)",
            "Taylor Trainee is overdue on SOP-001 rev A",
            "/training/people/trainee/",
            due=late,
        )
    ]
    assert _training_tasks(cast.qa_lead) == []  # not their report


def test_an_evaluator_sees_completed_training_awaiting_an_effectiveness_check(
    cast, engineer, sop_type
):
    set_rule(sop_type, effectiveness_check=True)
    new_document(cast, sop_type, "Cleaning")
    (assignment,) = open_assignments(cast.trainee)
    assert assignment.needs_evaluation
    assignment = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    waiting = Task(
        "Training effectiveness",
        "Evaluate Taylor Trainee's training on SOP-001 rev A",
        f"/training/assignments/{assignment.pk}/",
    )
    assert _training_tasks(cast.qa_lead) == [waiting]
    assert _training_tasks(cast.approver) == []  # no evaluation permission
    actions.evaluate_training(
        actor=cast.qa_lead,
        assignment=assignment,
        method="Interview",
        result="effective",
        comment="Knows it",
        credentials=SIGN,
    )
    assert _training_tasks(cast.qa_lead) == []


def test_training_without_an_effectiveness_check_waits_for_no_evaluator(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    assert not assignment.needs_evaluation
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert _training_tasks(cast.qa_lead) == []


def test_a_trainer_sees_the_session_to_sign(cast, engineer, sop_a):
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)  # trained on the revision: may train others on it
    session = actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=cast.reviewer,
        held_on=TODAY,
        attendees=[cast.trainee],
        material="Walk-through",
    )
    task = Task(
        "Training session",
        "Sign the session you gave on SOP-001 rev A",
        f"/training/sessions/{session.pk}/",
        due=TODAY + dt.timedelta(days=7),  # a week from recording
    )
    assert task in _training_tasks(cast.reviewer)
    actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    assert task not in _training_tasks(cast.reviewer)
