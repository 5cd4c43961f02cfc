"""What the audit trail calls training's records ("Training of Taylor Trainee on SOP-001
rev B"), where they are, and whether a viewer may read what their events say: when the
viewer may see that person's training (training.access), as on the training pages."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import as_text, ids_of
from openqms.training import access
from openqms.training.models import (
    Assignment,
    CompetenceRecord,
    Competency,
    Evaluation,
    JobRole,
    TrainingSession,
)
from openqms.training.registry import EVALUATE, RECORDS

ASSIGNMENT, SESSION = "training.assignment", "training.trainingsession"
RECORD, EVALUATION = "training.competencerecord", "training.evaluation"
JOB_ROLE, COMPETENCY = "training.jobrole", "training.competency"


def _sessions_seen(viewer: User, ids: list[int]) -> set[int]:
    sessions = TrainingSession.objects.filter(pk__in=ids)
    if not (access.sees_everyone(viewer) or has_permission(viewer, RECORDS)):
        sessions = sessions.filter(Q(trainer=viewer) | Q(attendees=viewer))
    return set(sessions.values_list("pk", flat=True))


def _people_seen(viewer: User, rows: list) -> set[int]:
    """Of the people `rows` are about, those whose training the viewer may see."""
    ids = {row.person_id for row in rows}
    if not ids:
        return set()
    return set(access.visible_people(viewer).filter(pk__in=ids).values_list("pk", flat=True))


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    ids = ids_of(keys, ASSIGNMENT)
    seen = set(access.visible_assignments(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    for a in Assignment.objects.filter(pk__in=ids).select_related("person", "revision__document"):
        label = f"Training of {a.person.full_name} on {a.revision}"
        url = reverse("training:assignment", args=[a.pk])
        found[(ASSIGNMENT, str(a.pk))] = RecordRef(label, url, a.pk in seen)
    ids = ids_of(keys, SESSION)
    seen = _sessions_seen(viewer, ids)
    for s in TrainingSession.objects.filter(pk__in=ids).select_related("revision__document"):
        url = reverse("training:session", args=[s.pk])
        label = f"Classroom session on {s.revision}, held {s.held_on:%d %b %Y}"
        found[(SESSION, str(s.pk))] = RecordRef(label, url, s.pk in seen)
    competence = list(
        CompetenceRecord.objects.filter(pk__in=ids_of(keys, RECORD)).select_related("person")
    )
    evaluations = list(
        Evaluation.objects.filter(pk__in=ids_of(keys, EVALUATION)).select_related("person")
    )
    people = _people_seen(viewer, [*competence, *evaluations])
    keeps_records = has_permission(viewer, RECORDS)
    for r in competence:
        readable = keeps_records or r.person_id in people
        url = reverse("training:person", args=[r.person.username]) if readable else ""
        found[(RECORD, str(r.pk))] = RecordRef(f"Competence record: {r}", url, readable)
    evaluates = has_permission(viewer, EVALUATE)
    for e in evaluations:
        readable = evaluates or e.person_id in people
        url = reverse("training:person", args=[e.person.username]) if readable else ""
        found[(EVALUATION, str(e.pk))] = RecordRef(str(e), url, readable)
    for role in JobRole.objects.filter(pk__in=ids_of(keys, JOB_ROLE)):
        url = reverse("training:job-role", args=[role.pk])
        found[(JOB_ROLE, str(role.pk))] = RecordRef(f"Job role “{role.name}”", url)
    for competency in Competency.objects.filter(pk__in=ids_of(keys, COMPETENCY)):
        found[(COMPETENCY, str(competency.pk))] = RecordRef(f"Competency “{competency.name}”")
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """A person's name or username, or a document number: their training, the viewer's
    to see."""
    person = Q(person__username__iexact=text) | Q(person__full_name__icontains=text)
    number = Q(revision__document__number__iexact=text)
    assignments = access.visible_assignments(viewer).filter(person | number)
    return [(ASSIGNMENT, as_text(assignments))]
