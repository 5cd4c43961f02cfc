"""Completing training: read and understood (signed, bound to the exact revision), the
optional quiz, a classroom session signed by its trainer, and the signed evaluation of
effectiveness (ISO 13485 6.2 d)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.errors import DomainError, InvalidInput, NotFound, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text
from openqms.documents.models import Document, Revision, RevisionState
from openqms.training.actions.common import create_assignments, rule_for
from openqms.training.errors import superseded
from openqms.training.lifecycle import ASSIGNMENT, quiz_of
from openqms.training.matrix import is_trained
from openqms.training.models import (
    Assignment,
    AssignmentState,
    Evaluation,
    EvaluationResult,
    Holding,
    JobRole,
    Method,
    Quiz,
    QuizAttempt,
    TrainingSession,
)
from openqms.training.registry import EVALUATE, RECORDS


def _current_revision(document_id: int) -> Revision | None:
    return Revision.objects.filter(document_id=document_id, state=RevisionState.EFFECTIVE).first()


def _own(assignment: Assignment, actor: User) -> None:
    """Someone else's training is not theirs to act on: the same 404 as a missing one."""
    if assignment.person_id != actor.pk:
        raise NotFound()


def _refuse_stale(assignment: Assignment) -> None:
    """Training on a revision no longer in force (closed when its successor came in) is
    refused naming the revision to train on instead. The table refuses it too; this only
    says it better."""
    assignment = Assignment.objects.select_related("revision").get(pk=assignment.pk)
    stale = assignment.state in (AssignmentState.OPEN, AssignmentState.SUPERSEDED)
    if stale and assignment.revision.state != RevisionState.EFFECTIVE:
        raise superseded(assignment.revision, _current_revision(assignment.document_id))


def _table_check(step: str, actor: User):
    """The lifecycle table's answer as a check for core's signed-step path (which asks
    it before the password and again under the lock)."""
    t = ASSIGNMENT.get(step)
    return lambda assignment: ASSIGNMENT.refusal(assignment, actor, t, gates=False)


def _locked_assignments():
    return Assignment.objects.select_related("revision__document", "person")


def sign_trained(
    *, actor: User, assignment: Assignment, credentials: Credentials | None
) -> Assignment:
    """“Read and understood”: the trainee signs (meaning: trained) this exact revision's
    content, the `sign` step of the assignment's table. Where the document has a quiz, a
    passed attempt must come first."""
    _own(assignment, actor)
    _refuse_stale(assignment)
    method = Method.QUIZ if quiz_of(assignment) else Method.SIGNATURE
    return ASSIGNMENT.apply(
        obj=assignment,
        name="sign",
        actor=actor,
        credentials=credentials,
        updates={"method": method},
    )


def submit_quiz(*, actor: User, assignment: Assignment, answers: list[int]) -> QuizAttempt:
    """Score an attempt and keep it, passed or failed (the `quiz` step of the table). A
    failed attempt completes nothing."""
    _own(assignment, actor)
    _refuse_stale(assignment)
    return perform(
        actor=actor,
        record=assignment,
        check=_table_check("quiz", actor),
        queryset=_locked_assignments(),
        change=lambda locked, _: _score(locked, actor, answers),
    )


def _score(locked: Assignment, actor: User, answers: list[int]) -> QuizAttempt:
    quiz = quiz_of(locked)
    if quiz is None:  # the table's `quiz` step refuses this first
        raise TransitionNotAllowed(f"{locked.document.number} has no quiz.")
    questions = quiz.questions
    if len(answers) != len(questions):
        raise InvalidInput(
            f"Answer all {len(questions)} questions.", fields={"answers": "Incomplete."}
        )
    for n, (answer, question) in enumerate(zip(answers, questions, strict=True), start=1):
        if not _is_index(answer, len(question["choices"])):
            raise InvalidInput(
                f"Question {n} has no answer {answer!r}.", fields={"answers": f"Question {n}."}
            )
    score = sum(1 for a, q in zip(answers, questions, strict=True) if a == q["answer"])
    attempt = QuizAttempt.objects.create(
        assignment=locked,
        questions=questions,
        answers=answers,
        score=score,
        pass_mark=quiz.pass_mark,
        passed=score >= quiz.pass_mark,
        attempted_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="training.quiz.attempted",
        obj=locked,
        changes={
            "revision": locked.revision.label,
            "score": score,
            "out_of": len(questions),
            "pass_mark": quiz.pass_mark,
            "passed": attempt.passed,
        },
    )
    return attempt


def _is_index(answer, count: int) -> bool:
    # bool is an int in Python: True must not pass for choice 1.
    return type(answer) is int and 0 <= answer < count


def _clean_questions(questions: list[dict]) -> list[dict]:
    if not questions:
        raise InvalidInput("A quiz needs at least one question.", fields={"questions": "Empty."})
    if len(questions) > 20:
        raise InvalidInput("A quiz has at most 20 questions.", fields={"questions": "Too many."})
    cleaned = []
    for n, q in enumerate(questions, start=1):
        text = str(q.get("text", "")).strip()
        choices = [str(c).strip() for c in q.get("choices", []) if str(c).strip()]
        answer = q.get("answer")
        if not text or len(text) > 500:
            raise InvalidInput(
                f"Question {n} needs its text (at most 500 characters).",
                fields={"questions": f"Question {n}."},
            )
        if not 2 <= len(choices) <= 6:
            raise InvalidInput(
                f"Question {n} needs 2 to 6 choices.", fields={"questions": f"Question {n}."}
            )
        if not _is_index(answer, len(choices)):
            raise InvalidInput(
                f"Question {n} needs its right answer among its choices.",
                fields={"questions": f"Question {n}."},
            )
        cleaned.append({"text": text, "choices": choices, "answer": answer})
    return cleaned


@audit.writing()
def save_quiz(*, actor: User, document: Document, pass_mark: int, questions: list[dict]) -> Quiz:
    require(actor, RECORDS)
    questions = _clean_questions(questions)
    if not 1 <= pass_mark <= len(questions):
        raise InvalidInput(
            f"The pass mark is between 1 and {len(questions)} correct answers.",
            fields={"pass_mark": "Out of range."},
        )
    quiz = Quiz.objects.select_for_update().filter(document=document).first()
    before = {"pass_mark": quiz.pass_mark, "questions": quiz.questions} if quiz else {}
    after = {"pass_mark": pass_mark, "questions": questions}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput("Nothing changed.")
    quiz = quiz or Quiz(document=document)
    quiz.pass_mark, quiz.questions = pass_mark, questions
    quiz.updated_at, quiz.updated_by = timezone.now(), actor
    quiz.save()
    audit.record(actor=actor, action="training.quiz.saved", obj=document, changes=changes)
    return quiz


def record_session(
    *,
    actor: User,
    revision: Revision,
    trainer: User,
    held_on: dt.date,
    attendees: Iterable[User],
    material: str,
    file_name: str = "",
    file_content: IO[bytes] | None = None,
    trainer_reason: str = "",
) -> TrainingSession:
    """A classroom session on a revision in force, to be signed by its trainer. Record
    keepers record sessions, and a revision's author the sessions they give on it
    themselves (a document's author gives its first session). The trainer is someone
    trained on the revision, its author (nobody is trained on a new procedure yet), or
    someone the record keeper names with `trainer_reason` (a subject-matter expert): the
    trainer's signature completes the attendees' training."""
    if not (revision.author_id == actor.pk == trainer.pk):
        require(actor, RECORDS)
    material = clean_text(material, "material", limit=4000)
    trainer_reason = clean_text(trainer_reason, "trainer_reason", required=False, limit=2000)
    attendees = list({a.pk: a for a in attendees}.values())
    if not attendees:
        raise InvalidInput("Name who attended.", fields={"attendees": "Required."})
    if any(a.pk == trainer.pk for a in attendees):
        raise InvalidInput("The trainer is not an attendee.", fields={"attendees": "Trainer."})
    if any(not a.is_active for a in attendees) or not trainer.is_active:
        raise InvalidInput("Every person must be active.", fields={"attendees": "Inactive."})
    if held_on > timezone.localdate():
        raise InvalidInput("A session is recorded once held.", fields={"held_on": "Future."})
    if held_on < (first := _first_day(revision)):
        raise InvalidInput(
            f"{revision} did not exist before {first:%d %b %Y}: a session on it cannot be "
            "held earlier.",
            fields={"held_on": "Before the revision existed."},
        )
    if revision.state != RevisionState.EFFECTIVE:
        raise superseded(revision, _current_revision(revision.document_id))
    _trainer_may_train(trainer, revision, trainer_reason)
    name = files.check_name(file_name) if file_content is not None else ""
    stored = files.store(file_content) if file_content is not None else None
    with audit.writing():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if revision.state != RevisionState.EFFECTIVE:
            raise superseded(revision, _current_revision(revision.document_id))
        session = TrainingSession.objects.create(
            revision=revision,
            trainer=trainer,
            held_on=held_on,
            material=material,
            material_file=stored,
            material_name=name,
            trainer_reason=trainer_reason,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        session.attendees.set(attendees)
        audit.record(
            actor=actor,
            action="training.session.recorded",
            obj=session,
            changes={
                "revision": str(revision),
                "trainer": trainer.username,
                "held_on": held_on,
                "attendees": sorted(a.username for a in attendees),
                "material_sha256": stored.sha256 if stored else None,
                **({"trainer_reason": trainer_reason} if trainer_reason else {}),
            },
        )
    return session


def sign_session(
    *, actor: User, session: TrainingSession, credentials: Credentials | None
) -> TrainingSession:
    """The trainer signs the session (meaning: delivered), through core's signed-step
    path; under its lock, each attendee's training on that revision is completed by the
    table's `attend` step (assigned first where they had none)."""
    return perform(
        actor=actor,
        record=session,
        meaning="delivered",
        credentials=credentials,
        check=lambda s: session_refusal(s, actor),
        queryset=TrainingSession.objects.select_related("revision__document__doc_type"),
        change=lambda locked, _: _deliver(locked, actor),
    )


def _deliver(session: TrainingSession, actor: User) -> TrainingSession:
    revision = session.revision
    session.signed_at = timezone.now()
    session.save(update_fields=["signed_at"])
    attendees = list(session.attendees.all())
    create_assignments(
        actor=actor,
        revision=revision,
        people=[a.pk for a in attendees],
        due_date=session.held_on,
        reason=f"attended the session of {session.held_on}",
        by_hand=True,
        notify_people=False,  # completed at once: nothing to ask of them
    )
    for assignment in (
        _locked_assignments()
        .select_for_update(of=("self",))
        .filter(revision=revision, person__in=attendees, state=AssignmentState.OPEN)
        .order_by("pk")
    ):
        assignment.method, assignment.session = Method.SESSION, session
        assignment.save(update_fields=["method", "session"])
        ASSIGNMENT.cascade(
            obj=assignment, name="attend", actor=actor, changes={"method": Method.SESSION}
        )
    audit.record(
        actor=actor,
        action="training.session.signed",
        obj=session,
        changes={
            "signed_at": [None, session.signed_at],
            "attendees": sorted(a.username for a in attendees),
        },
    )
    return session


def _first_day(revision: Revision) -> dt.date:
    """The first day a session on `revision` could be held: the day it was written, or
    the day it took effect where that is earlier (a legacy document imported later)."""
    written = timezone.localdate(revision.created_at)
    effective = revision.effective_date
    return min(written, effective) if effective else written


def _trainer_may_train(trainer: User, revision: Revision, named_because: str) -> None:
    """Someone trained on the revision trains others on it; so does its author (nobody is
    trained on a new procedure before its first session), and whoever the record keeper
    named with a reason."""
    if named_because or revision.author_id == trainer.pk:
        return
    trained, current = is_trained(trainer, revision.document_id)
    if not trained:
        raise TransitionNotAllowed(
            f"{trainer.full_name} is not trained on {current}, and cannot train others on it. "
            "Choose someone trained on it or its author, or say why this trainer may give "
            "the session.",
            fields={"trainer_reason": "Say why this trainer may give the session."},
        )


def session_refusal(session: TrainingSession, actor: User) -> DomainError | None:
    """Why `actor` may not sign `session` now, or None: the session page offers the
    signing dialog, and the signed step checks (before the password and under the lock),
    by this one answer."""
    if session.trainer_id != actor.pk:
        return TransitionNotAllowed("Only the session's trainer signs it.")
    if session.signed_at is not None:
        return TransitionNotAllowed("The trainer has signed this session already.")
    if session.revision.state != RevisionState.EFFECTIVE:
        return superseded(session.revision, _current_revision(session.revision.document_id))
    try:
        _trainer_may_train(actor, session.revision, session.trainer_reason)
    except TransitionNotAllowed as refusal:
        return refusal
    return None


def evaluate_training(
    *,
    actor: User,
    method: str,
    result: str,
    comment: str,
    credentials: Credentials | None,
    assignment: Assignment | None = None,
    person: User | None = None,
    job_role: JobRole | None = None,
) -> Evaluation:
    """A signed evaluation (create-and-sign, meaning: evaluated) of one completed training
    (the table's `evaluate` or `evaluate_not_effective` step), or of a person in a job role
    they hold. When training proves not effective, the person is assigned it again."""
    require(actor, EVALUATE)
    method = clean_text(method, "method", limit=200)
    comment = clean_text(comment, "comment", limit=4000)
    if result not in EvaluationResult.values:
        raise InvalidInput("Choose the result.", fields={"result": "Unknown."})
    fields = {"method": method, "result": result, "comment": comment, "evaluator": actor}
    if assignment is not None:
        return _evaluate_assignment(actor, assignment, fields, credentials)
    holding = _held(person, job_role)
    if holding.person_id == actor.pk:
        raise TransitionNotAllowed("Nobody evaluates their own training.")
    return perform(
        actor=actor,
        record=holding,
        meaning="evaluated",
        credentials=credentials,
        reason=comment,
        check=lambda h: _still_held(h),
        queryset=Holding.objects.select_related("person", "job_role"),
        shown=lambda h: h.evaluation_content(),
        signed=lambda h: Evaluation(
            person=h.person, job_role=h.job_role, evaluated_at=timezone.now(), **fields
        ),
        change=lambda h, evaluation: _recorded(evaluation, actor),
    )


def _evaluate_assignment(
    actor: User, assignment: Assignment, fields: dict, credentials: Credentials | None
) -> Evaluation:
    effective = fields["result"] == EvaluationResult.EFFECTIVE
    step = "evaluate" if effective else "evaluate_not_effective"
    table = _table_check(step, actor)

    def check(a: Assignment) -> DomainError | None:
        if a.state != AssignmentState.COMPLETED:
            return TransitionNotAllowed("Only completed training is evaluated.")
        return table(a)

    def change(a: Assignment, evaluation: Evaluation) -> Evaluation:
        _recorded(evaluation, actor)
        if not effective:
            _retrain(a, actor)
        return evaluation

    return perform(
        actor=actor,
        record=assignment,
        meaning="evaluated",
        credentials=credentials,
        reason=fields["comment"],
        check=check,
        queryset=_locked_assignments(),
        # What the evaluator was shown, and may have been given the hash of: the training.
        shown=lambda a: a.signature_content(),
        signed=lambda a: Evaluation(
            person=a.person, assignment=a, evaluated_at=timezone.now(), **fields
        ),
        change=change,
    )


def _recorded(evaluation: Evaluation, actor: User) -> Evaluation:
    audit.record(
        actor=actor,
        action="training.evaluation.recorded",
        obj=evaluation,
        changes={
            "person": evaluation.person.username,
            "subject": evaluation.signature_content()["subject"],
            "method": evaluation.method,
            "result": evaluation.result,
        },
        reason=evaluation.comment,
    )
    return evaluation


def _held(person: User | None, job_role: JobRole | None) -> Holding:
    if person is None or job_role is None:
        raise InvalidInput("Choose the training, or the person and job role, to evaluate.")
    holding = Holding.objects.filter(person=person, job_role=job_role, ended_on__isnull=True)
    if not holding.exists():
        raise InvalidInput(
            f"{person.full_name} does not hold “{job_role}”.", fields={"job_role": "Not held."}
        )
    return holding.get()


def _still_held(holding: Holding) -> DomainError | None:
    if holding.ended_on is not None:
        return InvalidInput(
            f"{holding.person.full_name} does not hold “{holding.job_role}” any more.",
            fields={"job_role": "Not held."},
        )
    return None


def _retrain(assignment: Assignment, actor: User) -> None:
    """The table's `evaluate_not_effective` step, under the evaluation's lock: the training
    closes as not effective and the person is assigned the revision in force again."""
    assignment.closed_at = timezone.now()
    assignment.closed_reason = "Evaluated as not effective"
    assignment.save(update_fields=["closed_at", "closed_reason"])
    ASSIGNMENT.cascade(obj=assignment, name="evaluate_not_effective", actor=actor)
    revision = _current_revision(assignment.document_id) or assignment.revision
    revision = Revision.objects.select_related("document__doc_type").get(pk=revision.pk)
    days = rule_for(revision.document.doc_type).due_days
    create_assignments(
        actor=actor,
        revision=revision,
        people=[assignment.person_id],
        due_date=timezone.localdate() + dt.timedelta(days=days),
        reason="retraining: the evaluation found the training not effective",
        by_hand=True,
    )
