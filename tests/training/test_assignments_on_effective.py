import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import actions as core
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import Assignment, AssignmentState

from .conftest import (
    SIGN,
    approve,
    make_person,
    new_document,
    new_revision,
    open_assignments,
    set_rule,
    status_of,
)

pytestmark = pytest.mark.verifies("TRN-006")


def _events(before, action):
    return [changes_of(e) for e in events_since(before) if e.action == action]


def test_an_effective_revision_assigns_everyone_whose_job_role_requires_it_once(
    cast, engineer, sop_a
):
    mine = open_assignments(cast.trainee)
    assert [(a.revision_id, a.reason) for a in mine] == [
        (sop_a.pk, "SOP-001 rev A became effective")
    ]
    assert Assignment.objects.filter(revision=sop_a).count() == 1
    assert not cast.reviewer.assignments.exists()


def test_the_assignment_event_names_the_revision_due_date_and_people(cast, engineer, sop_type):
    second = make_person("sam", "Sam Second")
    actions.take_job_role(actor=cast.qa_lead, person=second, job_role=engineer)
    before = event_count()
    revision = new_document(cast, sop_type, "Cleaning")
    due = timezone.localdate() + dt.timedelta(days=30)
    assert _events(before, "training.assignment.created") == [
        {
            "document": revision.document.number,
            "revision": "A",
            "due_date": due.isoformat(),
            "people": ["sam", "trainee"],
        }
    ]
    assert {a.person_id: a.due_date for a in Assignment.objects.filter(revision=revision)} == {
        second.pk: due,
        cast.trainee.pk: due,
    }


def test_the_due_date_follows_the_types_training_rule(cast, engineer, sop_type):
    set_rule(sop_type, due_days=10)
    revision = new_document(cast, sop_type, "Cleaning")
    (assignment,) = Assignment.objects.filter(revision=revision)
    assert assignment.due_date == timezone.localdate() + dt.timedelta(days=10)


def test_a_requirement_by_document_assigns_that_document_only(cast, sop_type):
    draft = documents.create_document(actor=cast.author, doc_type=sop_type, title="Labelling")
    role = actions.create_job_role(actor=cast.qa_lead, name="Packer")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="document", document=draft.document
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    assert not cast.trainee.assignments.exists()  # nothing in force yet
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="Label.", change_summary="x", change_reason="New"
    )
    labelling = approve(cast, draft)
    other = new_document(cast, sop_type, "Cleaning")
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [labelling.pk]
    assert not Assignment.objects.filter(revision=other).exists()


def test_a_requirement_by_clause_assigns_documents_serving_that_clause(cast, sop_type):
    role = actions.create_job_role(actor=cast.qa_lead, name="Designer")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="clause", clause="7.3")
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    work_instruction = DocumentType.objects.get(code="work_instruction")
    design = new_document(cast, work_instruction, "Design reviews", clauses=["7.3", "7.3.5"])
    purchasing = new_document(cast, sop_type, "Purchasing", clauses=["7.4"])
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [design.pk]
    assert not Assignment.objects.filter(revision=purchasing).exists()


def test_two_job_roles_requiring_the_same_document_assign_it_once(cast, engineer, sop_type):
    draft = documents.create_document(actor=cast.author, doc_type=sop_type, title="Labelling")
    packer = actions.create_job_role(actor=cast.qa_lead, name="Packer")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=packer, kind="document", document=draft.document
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=packer)
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="Label.", change_summary="x", change_reason="New"
    )
    before = event_count()
    revision = approve(cast, draft)
    assert Assignment.objects.filter(revision=revision).count() == 1
    assert [e["people"] for e in _events(before, "training.assignment.created")] == [["trainee"]]


def test_deactivated_people_and_ended_holdings_get_nothing(cast, engineer, sop_type):
    gone = make_person("gone", "Gone Away")
    moved = make_person("moved", "Moved On")
    for person in (gone, moved):
        actions.take_job_role(actor=cast.qa_lead, person=person, job_role=engineer)
    core.deactivate_user(actor=cast.admin, user=gone, reason="Left the company")
    holding = moved.job_roles_held.get()
    actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Moved to sales")
    revision = new_document(cast, sop_type, "Cleaning")
    assert list(
        Assignment.objects.filter(revision=revision).values_list("person__username", flat=True)
    ) == ["trainee"]


def test_a_revision_nobody_requires_assigns_nothing_and_writes_no_event(cast, engineer):
    before = event_count()
    new_document(cast, DocumentType.objects.get(code="form"), "Deviation form")
    assert not cast.trainee.assignments.exists()
    assert _events(before, "training.assignment.created") == []


def test_a_new_revision_supersedes_open_training_and_assigns_the_new_one(cast, engineer, sop_a):
    before = event_count()
    rev_b = new_revision(cast, sop_a)
    (old,) = Assignment.objects.filter(revision=sop_a)
    assert old.state == AssignmentState.SUPERSEDED
    assert old.closed_reason == "SOP-001 rev B became effective"
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [rev_b.pk]
    assert _events(before, "training.assignment.superseded") == [
        {"state": ["open", "superseded"], "assignments": ["trainee: SOP-001 rev A"]}
    ]
    created = _events(before, "training.assignment.created")
    assert [(e["revision"], e["people"]) for e in created] == [("B", ["trainee"])]


def test_a_new_revision_assigns_those_trained_on_the_old_one_again(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    rev_b = new_revision(cast, sop_a)
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [rev_b.pk]
    assert status_of(cast.trainee, sop_a.document) == matrix.DUE
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.COMPLETED  # the record of A stays


def test_no_retraining_revision_creates_no_assignment_for_the_trained(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    before = event_count()
    rev_b = new_revision(cast, sop_a, no_retraining="Typo fixed in section 3")
    assert not Assignment.objects.filter(revision=rev_b).exists()
    assert _events(before, "training.assignment.created") == []
    assert _events(before, "training.assignment.superseded") == []
    rev_b.refresh_from_db()
    assert (rev_b.retraining_needed, rev_b.retraining_justification) == (
        False,
        "Typo fixed in section 3",
    )
    assert status_of(cast.trainee, sop_a.document) == matrix.CURRENT


def test_no_retraining_revision_moves_open_training_to_it_with_its_due_date(cast, engineer, sop_a):
    trained = make_person("tess", "Tess Trained")
    actions.take_job_role(actor=cast.qa_lead, person=trained, job_role=engineer)
    (done,) = open_assignments(trained)
    actions.sign_trained(actor=trained, assignment=done, credentials=SIGN)
    (old,) = open_assignments(cast.trainee)
    Assignment.objects.filter(pk=old.pk).update(due_date=timezone.localdate())  # due today
    before = event_count()
    rev_b = new_revision(cast, sop_a, no_retraining="Typo fixed in section 3")
    (moved,) = open_assignments(cast.trainee)
    assert (moved.revision_id, moved.due_date, moved.reason) == (
        rev_b.pk,
        timezone.localdate(),
        "SOP-001 rev B replaced the revision still being trained on",
    )
    old.refresh_from_db()
    assert old.state == AssignmentState.SUPERSEDED
    assert _events(before, "training.assignment.superseded") == [
        {"state": ["open", "superseded"], "assignments": ["trainee: SOP-001 rev A"]}
    ]
    created = _events(before, "training.assignment.created")
    assert [(e["revision"], e["due_date"], e["people"]) for e in created] == [
        ("B", timezone.localdate().isoformat(), ["trainee"])
    ]
    assert not open_assignments(trained)
    assert status_of(trained, sop_a.document) == matrix.CURRENT
    assert status_of(cast.trainee, sop_a.document) == matrix.DUE
