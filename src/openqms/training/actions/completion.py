"""Completing training: read and understood (signed, bound to the exact revision), the
optional quiz, a classroom session signed by its trainer, and the signed evaluation of
effectiveness (ISO 13485 6.2 d)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.db import transaction
from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials, apply_signature, reauthenticate
from openqms.core.text import clean_text
from openqms.documents.models import Document, Revision, RevisionState
from openqms.training.actions.common import create_assignments, rule_for
from openqms.training.errors import superseded
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


def _trainable(assignment: Assignment, actor: User) -> None:
    """The person's own open assignment, on the revision still in force."""
    if assignment.person_id != actor.pk:
        raise NotFound()
    # Training on a revision no longer in force (closed when its successor came in) is
    # refused with the revision to train on instead.
    stale = assignment.state in (AssignmentState.OPEN, AssignmentState.SUPERSEDED)
    if stale and assignment.revision.state != RevisionState.EFFECTIVE:
        raise superseded(assignment.revision, _current_revision(assignment.document_id))
    if assignment.state != AssignmentState.OPEN:
        raise TransitionNotAllowed(
            f"This training is {assignment.get_state_display()}; there is nothing to sign."
        )


def _quiz_of(assignment: Assignment) -> Quiz | None:
    quiz = Quiz.objects.filter(document_id=assignment.document_id).first()
    return quiz if quiz and quiz.questions else None


def _complete(assignment: Assignment, actor: User, method: str, **extra) -> None:
    now = timezone.now()
    assignment.state, assignment.completed_at, assignment.method = (
        AssignmentState.COMPLETED,
        now,
        method,
    )
    for field, value in extra.items():
        setattr(assignment, field, value)
    assignment.save(update_fields=["state", "completed_at", "method", *extra])
    audit.record(
        actor=actor,
        action="training.assignment.completed",
        obj=assignment,
        changes={
            "person": assignment.person.username,
            "document": assignment.revision.document.number,
            "revision": assignment.revision.label,
            "state": [AssignmentState.OPEN, AssignmentState.COMPLETED],
            "method": method,
        },
    )


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("revision__document", "person")
        .get(pk=assignment.pk)
    )


def sign_trained(
    *, actor: User, assignment: Assignment, credentials: Credentials | None
) -> Assignment:
    """“Read and understood”: the trainee signs (meaning: trained) this exact revision's
    content. Where the document has a quiz, a passed attempt must come first."""
    _trainable(assignment, actor)
    quiz = _quiz_of(assignment)
    if quiz and not assignment.attempts.filter(passed=True).exists():
        raise TransitionNotAllowed(
            f"Pass the quiz on {assignment.document.number} before signing it read and understood."
        )
    reauthenticate(signer=actor, credentials=credentials)
    with transaction.atomic(durable=True):
        locked = _locked(assignment)
        _trainable(locked, actor)
        apply_signature(
            signer=actor,
            obj=locked,
            meaning="trained",
            seen_hash=credentials.content_hash if credentials else "",
        )
        _complete(locked, actor, Method.QUIZ if quiz else Method.SIGNATURE)
    return locked


@transaction.atomic(durable=True)
def submit_quiz(*, actor: User, assignment: Assignment, answers: list[int]) -> QuizAttempt:
    """Score an attempt and keep it, passed or failed. A failed attempt completes nothing."""
    locked = _locked(assignment)
    _trainable(locked, actor)
    quiz = _quiz_of(locked)
    if quiz is None:
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


@transaction.atomic(durable=True)
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
) -> TrainingSession:
    """A classroom session on a revision in force, to be signed by its trainer. Only
    record keepers record sessions, and only someone trained on the revision trains
    others on it: the trainer's signature completes the attendees' training."""
    require(actor, RECORDS)
    material = clean_text(material, "material", limit=4000)
    attendees = list({a.pk: a for a in attendees}.values())
    if not attendees:
        raise InvalidInput("Name who attended.", fields={"attendees": "Required."})
    if any(a.pk == trainer.pk for a in attendees):
        raise InvalidInput("The trainer is not an attendee.", fields={"attendees": "Trainer."})
    if any(not a.is_active for a in attendees) or not trainer.is_active:
        raise InvalidInput("Every person must be active.", fields={"attendees": "Inactive."})
    if held_on > timezone.localdate():
        raise InvalidInput("A session is recorded once held.", fields={"held_on": "Future."})
    if revision.state != RevisionState.EFFECTIVE:
        raise superseded(revision, _current_revision(revision.document_id))
    _trainer_is_trained(trainer, revision)
    name = files.check_name(file_name) if file_content is not None else ""
    stored = files.store(file_content) if file_content is not None else None
    with transaction.atomic(durable=True):
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
            },
        )
    return session


def sign_session(
    *, actor: User, session: TrainingSession, credentials: Credentials | None
) -> TrainingSession:
    """The trainer signs the session; it completes each attendee's training on that
    revision (assigning it first where they had none)."""
    _signable_session(session, actor)
    reauthenticate(signer=actor, credentials=credentials)
    with transaction.atomic(durable=True):
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        _signable_session(session, actor)
        revision = Revision.objects.select_related("document__doc_type").get(pk=session.revision_id)
        apply_signature(
            signer=actor,
            obj=session,
            meaning="delivered",
            seen_hash=credentials.content_hash if credentials else "",
        )
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
            Assignment.objects.select_for_update()
            .filter(revision=revision, person__in=attendees, state=AssignmentState.OPEN)
            .select_related("person", "revision__document")
        ):
            _complete(assignment, actor, Method.SESSION, session=session)
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


def _trainer_is_trained(trainer: User, revision: Revision) -> None:
    trained, current = is_trained(trainer, revision.document_id)
    if not trained:
        raise TransitionNotAllowed(
            f"{trainer.full_name} is not trained on {current}, and cannot train others on it."
        )


def _signable_session(session: TrainingSession, actor: User) -> None:
    if session.trainer_id != actor.pk:
        raise TransitionNotAllowed("Only the session's trainer signs it.")
    if session.signed_at is not None:
        raise TransitionNotAllowed("The trainer has signed this session already.")
    if session.revision.state != RevisionState.EFFECTIVE:
        raise superseded(session.revision, _current_revision(session.revision.document_id))
    _trainer_is_trained(actor, session.revision)


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
    """A signed evaluation of one completed training, or of a person in a job role. When
    training proves not effective, the person is assigned that training again."""
    require(actor, EVALUATE)
    method = clean_text(method, "method", limit=200)
    comment = clean_text(comment, "comment", limit=4000)
    if result not in EvaluationResult.values:
        raise InvalidInput("Choose the result.", fields={"result": "Unknown."})
    person = _subject(assignment, person, job_role)
    if person.pk == actor.pk:
        raise TransitionNotAllowed("Nobody evaluates their own training.")
    reauthenticate(signer=actor, credentials=credentials)
    with transaction.atomic(durable=True):
        if assignment is not None:
            assignment = _locked(assignment)
            _subject(assignment, person, None)
        evaluation = Evaluation.objects.create(
            person=person,
            assignment=assignment,
            job_role=job_role if assignment is None else None,
            method=method,
            result=result,
            comment=comment,
            evaluator=actor,
            evaluated_at=timezone.now(),
        )
        apply_signature(
            signer=actor,
            obj=evaluation,
            meaning="evaluated",
            seen_hash=credentials.content_hash if credentials else "",
        )
        audit.record(
            actor=actor,
            action="training.evaluation.recorded",
            obj=evaluation,
            changes={
                "person": person.username,
                "subject": evaluation.signature_content()["subject"],
                "method": method,
                "result": result,
            },
            reason=comment,
        )
        if assignment is not None and result == EvaluationResult.NOT_EFFECTIVE:
            _retrain(assignment, actor)
    return evaluation


def _subject(assignment, person, job_role) -> User:
    if assignment is not None:
        if assignment.state != AssignmentState.COMPLETED:
            raise TransitionNotAllowed("Only completed training is evaluated.")
        return assignment.person
    if person is None or job_role is None:
        raise InvalidInput("Choose the training, or the person and job role, to evaluate.")
    if not Holding.objects.filter(person=person, job_role=job_role, ended_on__isnull=True).exists():
        raise InvalidInput(
            f"{person.full_name} does not hold “{job_role}”.", fields={"job_role": "Not held."}
        )
    return person


def _retrain(assignment: Assignment, actor: User) -> None:
    now = timezone.now()
    assignment.state, assignment.closed_at = AssignmentState.INEFFECTIVE, now
    assignment.closed_reason = "Evaluated as not effective"
    assignment.save(update_fields=["state", "closed_at", "closed_reason"])
    audit.record(
        actor=actor,
        action="training.assignment.ineffective",
        obj=assignment,
        changes={
            "person": assignment.person.username,
            "document": assignment.revision.document.number,
            "revision": assignment.revision.label,
            "state": [AssignmentState.COMPLETED, AssignmentState.INEFFECTIVE],
        },
    )
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
