"""Whose training a person may see: their own, their reports' (as manager), everyone's
with the matrix permission. Missing and forbidden look the same (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.access import has_permission
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.documents import registry as documents
from openqms.training.models import Assignment, CompetenceRecord, TrainingSession
from openqms.training.registry import EVALUATE, MANAGE, READ, RECORDS


def sees_everyone(user: User) -> bool:
    return has_permission(user, READ)


def is_participant(user: User) -> bool:
    """Whoever reads procedures trains on them; someone with no rights at all does not."""
    needs = (READ, MANAGE, RECORDS, EVALUATE, documents.READ, documents.READ_ALL)
    return any(has_permission(user, need) for need in needs)


def require_participant(user: User) -> None:
    if not is_participant(user):
        raise NotFound()


def visible_people(user: User) -> QuerySet[User]:
    people = User.objects.select_related("employee")
    if sees_everyone(user):
        return people
    if not is_participant(user):
        return people.none()
    return people.filter(pk=user.pk) | people.filter(employee__manager=user)


def manages_anyone(user: User) -> bool:
    return User.objects.filter(employee__manager=user, is_active=True).exists()


def require_matrix_reader(user: User) -> None:
    if not (sees_everyone(user) or manages_anyone(user)):
        raise NotFound()


def get_person_for_user(user: User, username: str) -> User:
    try:
        return visible_people(user).get(username=username)
    except User.DoesNotExist:
        raise NotFound() from None


def visible_assignments(user: User) -> QuerySet[Assignment]:
    """Everyone's for matrix readers and evaluators; otherwise one's own and one's reports'."""
    assignments = Assignment.objects.select_related("person", "revision__document__doc_type")
    if sees_everyone(user) or has_permission(user, EVALUATE):
        return assignments
    return assignments.filter(person__in=visible_people(user))


def get_assignment_for_user(user: User, pk: int) -> Assignment:
    try:
        return visible_assignments(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound() from None


def get_session_for_user(user: User, pk: int) -> TrainingSession:
    sessions = TrainingSession.objects.select_related("revision__document", "trainer")
    if not (sees_everyone(user) or has_permission(user, RECORDS)):
        sessions = sessions.filter(trainer=user) | sessions.filter(attendees=user)
    try:
        return sessions.distinct().get(pk=pk)
    except TrainingSession.DoesNotExist:
        raise NotFound() from None


def get_record_for_user(user: User, pk: int) -> CompetenceRecord:
    """Record keepers reach every record (they add them for anyone); others as people."""
    records = CompetenceRecord.objects.select_related("person", "competency", "file")
    if not has_permission(user, RECORDS):
        records = records.filter(person__in=visible_people(user))
    try:
        return records.get(pk=pk)
    except CompetenceRecord.DoesNotExist:
        raise NotFound() from None
