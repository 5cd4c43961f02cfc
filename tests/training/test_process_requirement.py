"""A job role requiring "every document serving process X" (the process register)
trains its holders on the documents linked to X that are in force."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.errors import InvalidInput
from openqms.documents import actions as documents
from openqms.qms.actions.processes import create_process, edit_process, retire_process
from openqms.testing import changes_of, event_count, last_event
from openqms.training import actions, matrix
from openqms.training.models import Assignment, Requirement, RequirementKind

from .conftest import approve, make_person, open_assignments, status_of

pytestmark = pytest.mark.verifies("TRN-021")


def _process_fields(cast, code="PR-02", **extra):
    return {
        "code": code,
        "name": "Document control",
        "owner": cast.qa_lead,
        "purpose": "Control documents.",
        "inputs": "",
        "outputs": "",
        "risk": "medium",
        "risk_rationale": "",
        "monitoring": "",
        "outsourced": False,
        **extra,
    }


@pytest.fixture
def process(cast):
    return create_process(actor=cast.qa_lead, **_process_fields(cast))


@pytest.fixture
def controller(cast, process):
    """A job role requiring every document serving PR-02; the trainee holds it."""
    role = actions.create_job_role(actor=cast.qa_lead, name="Document controller")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process", process=process)
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    return role


def _draft(cast, sop_type, title):
    draft = documents.create_document(
        actor=cast.author, doc_type=sop_type, title=title, clauses=[], body="Text."
    )
    return documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=f"{title}.",
        change_summary="First issue",
        change_reason="New",
    )


def _link(cast, process, *documents_):
    return edit_process(
        actor=cast.qa_lead,
        process=process,
        documents=list(documents_),
        **_process_fields(cast, code=process.code),
    )


def test_a_document_linked_to_the_process_is_assigned_when_it_becomes_effective(
    cast, sop_type, process, controller
):
    draft = _draft(cast, sop_type, "Control of documents")
    _link(cast, process, draft.document)
    assert open_assignments(cast.trainee) == []  # not in force yet: nothing to train on
    revision = approve(cast, draft)
    assert [(a.revision_id, a.reason) for a in open_assignments(cast.trainee)] == [
        (revision.pk, f"{revision.document.number} rev A became effective")
    ]
    assert status_of(cast.trainee, revision.document) == matrix.DUE


def test_linking_a_document_in_force_assigns_it_at_once(cast, sop_type, process, controller):
    revision = approve(cast, _draft(cast, sop_type, "Control of records"))
    assert open_assignments(cast.trainee) == []  # not serving the process yet
    _link(cast, process, revision.document)
    mine = open_assignments(cast.trainee)
    assert [(a.revision_id, a.reason) for a in mine] == [
        (revision.pk, f"{revision.document.number} now serves process PR-02")
    ]
    event = last_event()
    assert event.action == "training.assignment.created"
    assert changes_of(event)["people"] == ["trainee"]


def test_a_document_not_serving_the_process_is_not_required(cast, sop_type, process, controller):
    revision = approve(cast, _draft(cast, sop_type, "Cleaning"))
    assert status_of(cast.trainee, revision.document) == matrix.NOT_REQUIRED


def test_adding_the_requirement_assigns_the_documents_in_force_serving_it(cast, sop_type, process):
    revision = approve(cast, _draft(cast, sop_type, "Control of documents"))
    _link(cast, process, revision.document)
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process", process=process)
    event = last_event()
    assert Assignment.objects.filter(person=cast.trainee, revision=revision).count() == 1
    assert event.action == "training.assignment.created"
    requirement = Requirement.objects.get(job_role=role)
    assert requirement.target_label() == "Every document serving process PR-02 Document control"


def test_a_requirement_event_names_the_process(cast, process):
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process", process=process)
    event = last_event()
    assert (event.action, changes_of(event)) == (
        "training.requirement.added",
        {
            "requirement": [None, "Every document serving process PR-02 Document control"],
            "kind": "process",
        },
    )


def test_a_process_requirement_needs_a_process_that_is_in_use(cast, process):
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    before = event_count()
    with pytest.raises(InvalidInput) as missing:
        actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process")
    assert missing.value.fields == {"process": "Required."}
    retire_process(actor=cast.qa_lead, process=process, reason="Merged")
    before = event_count()
    with pytest.raises(InvalidInput, match="retired"):
        actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process", process=process)
    assert event_count() == before
    assert not role.requirements.exists()


def test_the_clause_kind_keeps_working_as_clause_coverage(cast, sop_type):
    role = actions.create_job_role(actor=cast.qa_lead, name="Auditor")
    requirement = actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="clause", clause="4.2.4"
    )
    assert requirement.target_label() == "Every document tagged with clause 4.2.4"
    assert RequirementKind.CLAUSE.label == "Every document tagged with a clause"


def test_the_matrix_resolves_process_requirements_in_a_constant_number_of_queries(
    cast, sop_type, process, controller
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            matrix.build()
        return len(captured)

    first = approve(cast, _draft(cast, sop_type, "First"))
    _link(cast, process, first.document)
    few = queries()
    other = create_process(actor=cast.qa_lead, **_process_fields(cast, code="PR-03"))
    more = [approve(cast, _draft(cast, sop_type, f"Doc {i}")).document for i in range(3)]
    _link(cast, process, first.document, *more)
    _link(cast, other, *more)
    role = actions.create_job_role(actor=cast.qa_lead, name="Second")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="process", process=other)
    actions.take_job_role(
        actor=cast.qa_lead, person=make_person("sam", "Sam Second"), job_role=role
    )
    assert queries() == few
    built = matrix.build(people=[cast.trainee.pk])
    assert {c.document_id for c in built.columns} >= {d.pk for d in more}
