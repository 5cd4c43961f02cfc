"""Assignments and their completion (signed), quizzes and classroom sessions."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Query, Status

from openqms.core import access as core_access
from openqms.core.api import SignatureIn
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.documents import access as documents_access
from openqms.training import access, actions
from openqms.training.api.common import (
    all_sessions,
    assignment_detail_out,
    assignment_out,
    attempt_out,
    document_named,
    evaluations,
    need,
    quiz_out,
    router,
    session_detail,
    session_out,
    user_named,
)
from openqms.training.api.schemas import (
    AnswersIn,
    AssignIn,
    AssignmentDetailOut,
    AssignmentPage,
    AssignmentQuery,
    AttemptOut,
    EvaluateIn,
    EvaluationOut,
    PageQuery,
    QuizIn,
    QuizOut,
    SessionDetailOut,
    SessionIn,
    SessionPage,
)
from openqms.training.models import (
    Quiz,
    TrainingSession,
)
from openqms.training.registry import EVALUATE, MANAGE, RECORDS

# -- assignments -------------------------------------------------------------------------


def _page(rows: QuerySet, offset: int, limit: int) -> tuple[list, int | None]:
    found = list(rows[offset : offset + limit + 1])
    return found[:limit], offset + limit if len(found) > limit else None


@router.get("/assignments", response=AssignmentPage)
def assignment_list(request: AuthenticatedHttpRequest, q: Query[AssignmentQuery]):
    """The training you may see (yours, your people's, or everyone's), by due date."""
    assignments = access.visible_assignments(request.user)
    if q.mine:
        assignments = assignments.filter(person=request.user)
    if q.person:
        assignments = assignments.filter(person__username=q.person)
    if q.document:
        assignments = assignments.filter(document__number=q.document)
    if q.state:
        assignments = assignments.filter(state=q.state)
    rows, more = _page(assignments.order_by("due_date", "pk"), q.offset, q.limit)
    return {"items": [assignment_out(a) for a in rows], "next_offset": more}


@router.get("/assignments/{assignment_id}", response=AssignmentDetailOut)
def assignment_detail(request: AuthenticatedHttpRequest, assignment_id: int):
    return assignment_detail_out(
        access.get_assignment_for_user(request.user, assignment_id), request.user
    )


@router.post("/assignments", response={201: AssignmentDetailOut})
def assignment_create(request: AuthenticatedHttpRequest, body: AssignIn):
    """Assign one person the revision in force of a document, outside their job roles."""
    need(request.user, MANAGE)
    assignment = actions.assign_training(
        actor=request.user,
        person=user_named(body.username, "username"),
        document=document_named(request.user, body.document),
        due_date=body.due_date,
        reason=body.reason,
    )
    return Status(
        201,
        assignment_detail_out(
            access.get_assignment_for_user(request.user, assignment.pk), request.user
        ),
    )


@router.post("/assignments/{assignment_id}/sign", response=AssignmentDetailOut)
def assignment_sign(request: AuthenticatedHttpRequest, assignment_id: int, body: SignatureIn):
    """“Read and understood”, signed (meaning: trained) on this exact revision: send the
    password (and `otp_code` if enrolled) and the `content_hash` you were shown."""
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    assignment = actions.sign_trained(
        actor=request.user, assignment=assignment, credentials=body.credentials()
    )
    return assignment_detail_out(assignment, request.user)


@router.post("/assignments/{assignment_id}/quiz", response={201: AttemptOut})
def assignment_quiz(request: AuthenticatedHttpRequest, assignment_id: int, body: AnswersIn):
    """An attempt at the document's quiz: one answer (choice index) per question. A failed
    attempt is kept and completes nothing."""
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    attempt = actions.submit_quiz(actor=request.user, assignment=assignment, answers=body.answers)
    return Status(201, attempt_out(attempt))


@router.post("/assignments/{assignment_id}/evaluate", response={201: EvaluationOut})
def assignment_evaluate(request: AuthenticatedHttpRequest, assignment_id: int, body: EvaluateIn):
    """ISO 13485 6.2 d): the effectiveness of a completed training, signed. Not effective:
    the person is assigned the training again."""
    need(request.user, EVALUATE)
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    evaluation = actions.evaluate_training(
        actor=request.user,
        method=body.method,
        result=body.result,
        comment=body.comment,
        credentials=body.credentials(),
        assignment=assignment,
    )
    return Status(201, evaluations(pk=evaluation.pk)[0])


# -- quizzes -----------------------------------------------------------------------------


@router.get("/quizzes/{number}", response=QuizOut)
def quiz_detail(request: AuthenticatedHttpRequest, number: str):
    """The quiz on a document; the right answers only for those who keep records."""
    document = documents_access.get_document_for_user(request.user, number)
    quiz = Quiz.objects.select_related("document").filter(document=document).first()
    if quiz is None:
        raise NotFound()
    return quiz_out(quiz, with_answers=core_access.has_permission(request.user, RECORDS))


@router.put("/quizzes/{number}", response=QuizOut)
def quiz_edit(request: AuthenticatedHttpRequest, number: str, body: QuizIn):
    """Replace the quiz on a document (questions, choices, right answers, pass mark)."""
    need(request.user, RECORDS)
    document = documents_access.get_document_for_user(request.user, number)
    quiz = actions.save_quiz(
        actor=request.user,
        document=document,
        pass_mark=body.pass_mark,
        questions=[q.model_dump() for q in body.questions],
    )
    return quiz_out(quiz, with_answers=True)


# -- classroom sessions ------------------------------------------------------------------


def _attendees(usernames: list[str]) -> list[User]:
    people = list(User.objects.filter(username__in=usernames))
    missing = sorted(set(usernames) - {p.username for p in people})
    if missing:
        raise InvalidInput(
            f"There is nobody “{missing[0]}”.", fields={"attendees": "Unknown person."}
        )
    return people


@router.get("/sessions", response=SessionPage)
def session_list(request: AuthenticatedHttpRequest, q: Query[PageQuery]):
    """Classroom sessions you gave or attended (all of them for record keepers), newest first."""
    sessions = all_sessions()
    if not (
        access.sees_everyone(request.user) or core_access.has_permission(request.user, RECORDS)
    ):
        mine = TrainingSession.objects.filter(
            trainer=request.user
        ) | TrainingSession.objects.filter(attendees=request.user)
        sessions = sessions.filter(pk__in=mine.values("pk"))
    rows, more = _page(sessions.order_by("-held_on", "-pk"), q.offset, q.limit)
    return {"items": [session_out(s) for s in rows], "next_offset": more}


@router.post("/sessions", response={201: SessionDetailOut})
def session_create(request: AuthenticatedHttpRequest, body: SessionIn):
    """Record a classroom session held on a revision in force; its trainer signs it next."""
    need(request.user, RECORDS)
    revision = (
        documents_access.visible_revisions(request.user)
        .filter(document__number=body.document, label=body.revision)
        .first()
    )
    if revision is None:
        raise InvalidInput(
            f"There is no revision {body.revision} of {body.document}.",
            fields={"revision": "Unknown revision."},
        )
    session = actions.record_session(
        actor=request.user,
        revision=revision,
        trainer=user_named(body.trainer, "trainer"),
        held_on=body.held_on,
        attendees=_attendees(body.attendees),
        material=body.material,
        trainer_reason=body.trainer_reason,
    )
    return Status(201, session_detail(session))


@router.post("/sessions/{session_id}/sign", response=SessionDetailOut)
def session_sign(request: AuthenticatedHttpRequest, session_id: int, body: SignatureIn):
    """The trainer signs (meaning: delivered); each attendee's training is completed."""
    session = access.get_session_for_user(request.user, session_id)
    session = actions.sign_session(
        actor=request.user, session=session, credentials=body.credentials()
    )
    return session_detail(session)
