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
| evaluate               | completed → completed   | an evaluator (4) (7)      | evaluated |
| evaluate_not_effective | completed → ineffective | an evaluator (4) (7)      | evaluated |
| attend                 | open → completed        | within a signed session   | (6)       |
| supersede              | open → superseded       | within "became effective" | —         |
| cancel                 | open → cancelled        | within a close (5)        | —         |

(1) on the revision in force; (2) the document has a quiz not passed yet; (3) the quiz
passed, where there is one; (4) permission training.effectiveness:evaluate, not on their
own training; (5) leaving a job role, removing a requirement, withdrawing the document.
(6) the trainer's signature on the session (delivered). (7) once: not after the
training was evaluated (an evaluation found it effective; one that found it not
effective closed it). `attend`, `supersede` and `cancel` are never offered on their own
(`cascade`).

Every step is taken through core's one signed-step path (core.signing): `sign` as a
transition (`ASSIGNMENT.apply`), `quiz` and the evaluations as steps that create a
record (the attempt; the signed evaluation, create-and-sign), `attend` inside the
session's signed step, and the closes as one bulk step with one audit event naming
everyone. Pages, the API and My tasks show `allowed_steps` (My tasks through
`steps_for_many`, the same answer for many assignments in a fixed number of queries);
none of them re-derives it.
A new assignment opens through `actions.common.create_assignments` (one event a batch).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from openqms.core.models import User
from openqms.core.workflow import Transition, Workflow
from openqms.documents.models import RevisionState
from openqms.training.models import (
    Assignment,
    AssignmentState,
    Evaluation,
    EvaluationResult,
    Quiz,
    QuizAttempt,
)
from openqms.training.registry import EVALUATE

S = AssignmentState

# What the guards need, set by `steps_for_many` on the assignments it lists so that they
# read it instead of querying per assignment. An assignment loaded under the signing
# lock never carries it: the re-check there reads the database.
_QUIZ, _PASSED, _EVALUATED = "_openqms_quiz", "_openqms_quiz_passed", "_openqms_evaluated"


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
    if hasattr(assignment, _QUIZ):
        return getattr(assignment, _QUIZ)
    quiz = Quiz.objects.filter(document_id=assignment.document_id).first()
    return quiz if quiz and quiz.questions else None


def quiz_passed(assignment: Assignment) -> bool:
    if hasattr(assignment, _PASSED):
        return getattr(assignment, _PASSED)
    return assignment.attempts.filter(passed=True).exists()


def _effective_evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(result=EvaluationResult.EFFECTIVE)


def _not_evaluated(assignment: Assignment, actor: User | None) -> str | None:
    # ISO 13485 6.2 d): one evaluation of a completed training. Only one that found it
    # effective leaves it completed (one that did not closes it, in the same step, which
    # is why the not-effective evaluation it just recorded does not stop that step).
    if hasattr(assignment, _EVALUATED):
        evaluated = getattr(assignment, _EVALUATED)
    else:
        evaluated = _effective_evaluations().filter(assignment=assignment).exists()
    return "This training was evaluated already: effective." if evaluated else None


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
            guards=(_not_trainee, _not_evaluated),
        ),
        Transition(
            "evaluate_not_effective",
            sources=(S.COMPLETED,),
            target=S.INEFFECTIVE,
            permission=EVALUATE,
            event="training.assignment.ineffective",
            label="Evaluate: not effective (retrain)",
            signature="evaluated",
            guards=(_not_trainee, _not_evaluated),
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


def steps_for_many(assignments: list[Assignment], user: User) -> dict[int, list[str]]:
    """`allowed_steps` for many assignments at once (My tasks), in a fixed number of
    queries: the quizzes, passed attempts and evaluations the guards read are loaded
    for all of them first."""
    documents = {a.document_id for a in assignments}
    quizzes = {q.document_id: q for q in Quiz.objects.filter(document_id__in=documents)}
    keys = [a.pk for a in assignments]
    passed = set(
        QuizAttempt.objects.filter(assignment__in=keys, passed=True).values_list(
            "assignment_id", flat=True
        )
    )
    evaluated = set(
        _effective_evaluations().filter(assignment__in=keys).values_list("assignment_id", flat=True)
    )
    for a in assignments:
        quiz = quizzes.get(a.document_id)
        setattr(a, _QUIZ, quiz if quiz and quiz.questions else None)
        setattr(a, _PASSED, a.pk in passed)
        setattr(a, _EVALUATED, a.pk in evaluated)
    return {a.pk: allowed_steps(a, user) for a in assignments}


def awaiting_evaluation() -> QuerySet[Assignment]:
    """Completed training whose type asks for an effectiveness check and which is not
    evaluated yet (the `_not_evaluated` guard, as a query): where My tasks looks for
    evaluations waiting, before asking the table who may take them."""
    evaluated = _effective_evaluations().filter(assignment=OuterRef("pk"))
    return Assignment.objects.filter(state=S.COMPLETED, needs_evaluation=True).exclude(
        Exists(evaluated)
    )
