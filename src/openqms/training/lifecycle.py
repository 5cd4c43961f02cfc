"""The lifecycle of a training assignment, declared once as a table (CONVENTIONS rule 5).

One person, one revision::

    (assigned) ──► open ──sign / attend──► completed ──evaluate──► completed
                    │                          └──evaluate_not_effective──► ineffective
                    ├──supersede──► superseded      (a new revision came into force)
                    └──cancel─────► cancelled       (no longer required, or withdrawn)

| step                   | from → to               | who                       | signature |
| ---------------------- | ----------------------- | ------------------------- | --------- |
| quiz                   | open → open             | the trainee (1) (2)       | —         |
| sign                   | open → completed        | the trainee (1) (3)       | trained   |
| evaluate               | completed → completed   | an evaluator (4)          | evaluated |
| evaluate_not_effective | completed → ineffective | an evaluator (4)          | evaluated |
| attend                 | open → completed        | within a signed session   | (6)       |
| supersede              | open → superseded       | within "became effective" | —         |
| cancel                 | open → cancelled        | within a close (5)        | —         |

(1) on the revision in force; (2) the document has a quiz not passed yet; (3) the quiz
passed, where there is one; (4) permission training.effectiveness:evaluate, not on their
own training; (5) leaving a job role, removing a requirement, withdrawing the document.
(6) the trainer's signature on the session (delivered). `attend`, `supersede` and
`cancel` are never offered on their own (`cascade`).

Every step is taken through core's one signed-step path (core.signing): `sign` as a
transition (`ASSIGNMENT.apply`), `quiz` and the evaluations as steps that create a
record (the attempt; the signed evaluation, create-and-sign), `attend` inside the
session's signed step, and the closes as one bulk step with one audit event naming
everyone. Pages, the API and My tasks show `allowed_steps`; none of them re-derives it.
A new assignment opens through `actions.common.create_assignments` (one event a batch).
"""

from __future__ import annotations

from typing import Any

from openqms.core.models import User
from openqms.core.workflow import Transition, Workflow
from openqms.documents.models import RevisionState
from openqms.training.models import Assignment, AssignmentState, Quiz
from openqms.training.registry import EVALUATE

S = AssignmentState


def _trainee(assignment: Assignment, actor: User | None) -> str | None:
    if actor is None or assignment.person_id != actor.pk:
        return "Only the person assigned this training completes it."
    return None


def _not_trainee(assignment: Assignment, actor: User | None) -> str | None:
    if actor is not None and assignment.person_id == actor.pk:
        return "Nobody evaluates their own training."
    return None


def _in_force(assignment: Assignment, actor: User | None) -> str | None:
    # A training on one revision never counts for another (ISO 13485 6.2, 4.2.4).
    revision = assignment.revision
    if revision.state != RevisionState.EFFECTIVE:
        return f"{revision} is {revision.get_state_display()}: train on the revision in force."
    return None


def quiz_of(assignment: Assignment) -> Quiz | None:
    quiz = Quiz.objects.filter(document_id=assignment.document_id).first()
    return quiz if quiz and quiz.questions else None


def quiz_passed(assignment: Assignment) -> bool:
    return assignment.attempts.filter(passed=True).exists()


def _quiz_to_take(assignment: Assignment, actor: User | None) -> str | None:
    if quiz_of(assignment) is None:
        return f"{assignment.document.number} has no quiz."
    if quiz_passed(assignment):
        return "You passed the quiz already: sign it read and understood."
    return None


def _quiz_passed_if_any(assignment: Assignment, actor: User | None) -> str | None:
    if quiz_of(assignment) is not None and not quiz_passed(assignment):
        return (
            f"Pass the quiz on {assignment.document.number} before signing it read and understood."
        )
    return None


def who_and_what(assignment: Assignment, actor: User | None) -> dict[str, Any]:
    """What every state change's audit event names: the person and the exact revision."""
    return {
        "person": assignment.person.username,
        "document": assignment.revision.document.number,
        "revision": assignment.revision.label,
    }


ASSIGNMENT = Workflow(
    model=Assignment,
    states=AssignmentState,
    transitions=[
        Transition(
            "quiz",
            sources=(S.OPEN,),
            target=S.OPEN,
            permission="",  # the assignment itself is the right to train: see _trainee
            event="training.quiz.attempted",
            label="Take the quiz",
            guards=(_trainee, _in_force, _quiz_to_take),
        ),
        Transition(
            "sign",
            sources=(S.OPEN,),
            target=S.COMPLETED,
            permission="",
            event="training.assignment.completed",
            label="Read and understood",
            signature="trained",
            guards=(_trainee, _in_force, _quiz_passed_if_any),
            before=(who_and_what,),
            stamp="completed_at",
        ),
        Transition(
            "evaluate",
            sources=(S.COMPLETED,),
            target=S.COMPLETED,
            permission=EVALUATE,
            event="training.evaluation.recorded",
            label="Evaluate: effective",
            signature="evaluated",
            guards=(_not_trainee,),
        ),
        Transition(
            "evaluate_not_effective",
            sources=(S.COMPLETED,),
            target=S.INEFFECTIVE,
            permission=EVALUATE,
            event="training.assignment.ineffective",
            label="Evaluate: not effective (retrain)",
            signature="evaluated",
            guards=(_not_trainee,),
            before=(who_and_what,),
        ),
        Transition(
            "attend",
            sources=(S.OPEN,),
            target=S.COMPLETED,
            permission="",
            event="training.assignment.completed",
            label="Trained in a classroom session",
            before=(who_and_what,),
            stamp="completed_at",
            cascade=True,
        ),
        Transition(
            "supersede",
            sources=(S.OPEN,),
            target=S.SUPERSEDED,
            permission="",
            event="training.assignment.superseded",
            label="Closed: the revision was superseded",
            cascade=True,
        ),
        Transition(
            "cancel",
            sources=(S.OPEN,),
            target=S.CANCELLED,
            permission="",
            event="training.assignment.cancelled",
            label="Closed: no longer required",
            cascade=True,
        ),
    ],
)


def allowed_steps(assignment: Assignment, user: User) -> list[str]:
    """The steps `user` may take on `assignment` now (before the password): the buttons of
    the assignment page, `allowed_steps` in the API, and what My tasks lists."""
    return [t.name for t in ASSIGNMENT.available(assignment, user)]
