"""The quality events demo (Halden Health Ltd; docs/demo.md): one step per area, each
idempotent, run in order after the QMS frame, devices and suppliers.

The story the steps tell together: a RhythmCheck complaint that is a serious incident
with its 10-day clock running (4 days left); another reported on time and closed; an
FSCA of the patch applicator with the MHRA told before action and reconciliation at
80%; a nonconformity used as is under a signed concession; a CAPA in its effectiveness
check; a PSUR due next month for RhythmCheck (Class IIa).

This step (order 39) comes first: the two procedures quality records follow, in force,
the people who perform events steps trained on them, and every kind set to follow one.

Timeline: core's demo clock only moves forward (so the audit trail stays in time order),
and the training step (order 20) has already moved it to the real now (`at(0)`) before
these steps run; the events steps cannot go back weeks without touching core or the step
order. So every events record is opened at the seed time and no recorded submission,
notification or reply date precedes the record's own opening: the serious incidents are
recent (days), their reports submitted at the seed time; history that must be old (the
trend history) is closed with its own received dates in the past."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import Document, DocumentType
from openqms.events.actions import across
from openqms.events.kinds import KINDS
from openqms.events.models import EventProcedure
from openqms.training import actions as training
from openqms.training.models import Assignment, AssignmentState

COMPLAINTS = "Complaint handling, vigilance and post-market surveillance"
NC_CAPA = "Nonconformance and CAPA"
# Which procedure each kind follows (ISO 13485 8.2.1–8.2.3 / 8.3, 8.5.2–8.5.3).
FOLLOWS = {
    "feedback": COMPLAINTS,
    "complaint": COMPLAINTS,
    "incident_report": COMPLAINTS,
    "fsca": COMPLAINTS,
    "trend_report": COMPLAINTS,
    "pms_report": COMPLAINTS,
    "mhra_request": COMPLAINTS,
    "nonconformity": NC_CAPA,
    "capa": NC_CAPA,
}
PERFORMERS = ["qa", "manager", "author", "reviewer", "approver"]
BODIES = {
    COMPLAINTS: (
        ["8.2.1", "8.2.2", "8.2.3"],
        "## Purpose\n\nHow Halden Health receives feedback, handles complaints, decides "
        "reportability, reports serious incidents and FSCAs to the MHRA within the UK MDR "
        "2002 Part 4A deadlines, and runs post-market surveillance.\n\n## Clocks\n\n"
        "Serious public health threat: 2 days; death or unanticipated serious deterioration "
        "of health: 10 days; any other serious incident: 15 days — from awareness.\n",
    ),
    NC_CAPA: (
        ["8.3", "8.5.2", "8.5.3"],
        "## Purpose\n\nHow nonconforming product is identified, contained, dispositioned "
        "and released, and how corrective and preventive actions are planned, verified "
        "and checked for effectiveness.\n",
    ),
}


def procedures() -> None:
    people = {u.username: u for u in User.objects.filter(username__in=PERFORMERS)}
    if (
        len(people) < len(PERFORMERS)
        or EventProcedure.objects.filter(kind="complaint", document__isnull=False).exists()
    ):
        return
    sign = Credentials(DEMO_PASSWORD)
    made = {title: _procedure(title, people, sign) for title in BODIES}
    for document in made.values():
        _train(document, [people[n] for n in PERFORMERS], people["qa"], sign)
    for kind in KINDS:
        across.set_procedure(actor=people["qa"], kind=kind, document=made[FOLLOWS[kind]])


def _procedure(title: str, people: dict[str, User], sign: Credentials) -> Document:
    """The procedure in force: written by the author, reviewed, approved."""
    found = Document.objects.filter(title=title).first()
    if found is not None:
        return found
    clauses, body = BODIES[title]
    draft = documents.create_document(
        actor=people["author"],
        doc_type=DocumentType.objects.get(code="procedure"),
        title=title,
        clauses=clauses,
        body=body,
    )
    draft = documents.take_step(
        actor=people["author"],
        revision=draft,
        step="submit",
        reviewers=[people["reviewer"]],
        approvers=[people["approver"]],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    documents.take_step(actor=people["reviewer"], revision=draft, step="review", credentials=sign)
    documents.take_step(actor=people["approver"], revision=draft, step="approve", credentials=sign)
    return draft.document


def _train(document: Document, people: list[User], qa: User, sign: Credentials) -> None:
    """Each performer trained (read and understood, signed) on the revision in force."""
    due = timezone.localdate() + dt.timedelta(days=14)
    for person in people:
        open_ = Assignment.objects.filter(
            person=person, document=document, state=AssignmentState.OPEN
        ).first()
        if open_ is None:
            try:
                open_ = training.assign_training(
                    actor=qa,
                    person=person,
                    document=document,
                    due_date=due,
                    reason="Performs quality-event steps",
                )
            except DomainError:  # trained on it already
                continue
        training.sign_trained(actor=person, assignment=open_, credentials=sign)
