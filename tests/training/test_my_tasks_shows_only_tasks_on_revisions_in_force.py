"""My tasks shows training tasks only on revisions in force: once revision B supersedes A,
QA is no longer asked to evaluate training on A, and a trainer no longer to sign a session
on A (it cannot be signed any more); the same on B still appear."""

from django.utils import timezone

from openqms.core.inbox import Task, tasks_for
from openqms.training import actions

from .conftest import SIGN, new_document, new_revision, open_assignments, set_rule


def _training_tasks(user):
    return [t for t in tasks_for(user) if "training" in t.kind.lower()]


def test_evaluations_of_training_on_a_superseded_revision_are_not_tasks(cast, engineer, sop_type):
    set_rule(sop_type, effectiveness_check=True)
    rev_a = new_document(cast, sop_type, "Cleaning")
    (on_a,) = open_assignments(cast.trainee)
    on_a = actions.sign_trained(actor=cast.trainee, assignment=on_a, credentials=SIGN)
    assert [t.title for t in _training_tasks(cast.qa_lead)] == [
        "Evaluate Taylor Trainee's training on SOP-001 rev A"
    ]
    new_revision(cast, rev_a)  # B supersedes A
    (on_b,) = open_assignments(cast.trainee)
    assert _training_tasks(cast.qa_lead) == []
    on_b = actions.sign_trained(actor=cast.trainee, assignment=on_b, credentials=SIGN)
    assert _training_tasks(cast.qa_lead) == [
        Task(
            "Training effectiveness",
            "Evaluate Taylor Trainee's training on SOP-001 rev B",
            f"/training/assignments/{on_b.pk}/",
        )
    ]


def test_a_session_on_a_superseded_revision_is_not_a_task(cast, engineer, sop_type):
    rev_a = new_document(cast, sop_type, "Cleaning")
    session = actions.record_session(
        actor=cast.qa_lead,
        revision=rev_a,
        trainer=cast.author,
        held_on=timezone.localdate(),
        attendees=[cast.trainee],
        material="Walkthrough",
    )
    assert [t.url for t in _training_tasks(cast.author)] == [f"/training/sessions/{session.pk}/"]
    new_revision(cast, rev_a)
    assert [t for t in _training_tasks(cast.author) if "session" in t.kind.lower()] == []
