import pytest

from openqms.core import actions as core
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, named
from openqms.training import actions, matrix
from openqms.training.models import AssignmentState, TrainingRule

SIGN = Credentials(PASSWORD)


def approve(cast, revision, **kwargs):
    """Submit, review and approve a draft (effective at once unless dated later)."""
    revision = documents.take_step(
        actor=cast.author, revision=revision, step="submit", **named(cast)
    )
    documents.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return documents.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN, **kwargs
    )


def new_revision(cast, revision, body="Changed.", **kwargs):
    """Draft, edit and approve the next revision of `revision`'s document."""
    draft = documents.start_revision(
        actor=cast.author, document=revision.document, change_reason="Update"
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=body,
        change_summary="Changed",
        change_reason="Update",
    )
    return approve(cast, draft, **kwargs)


def new_document(cast, doc_type, title, clauses=(), **kwargs):
    """A new document's revision A, approved and effective."""
    draft = documents.create_document(
        actor=cast.author, doc_type=doc_type, title=title, clauses=clauses, body="Text."
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=f"{title}.",
        change_summary="First issue",
        change_reason="New",
    )
    return approve(cast, draft, **kwargs)


def make_person(username, full_name, email=None):
    """Someone outside the cast, with no permission role."""
    return core.create_user(
        actor=None,
        username=username,
        full_name=full_name,
        email=f"{username}@example.test" if email is None else email,
        password=PASSWORD,
        roles=[],
        reason="test person",
    )


def set_rule(doc_type, **fields):
    """Configure a type's training rule directly (the rule's own action has its tests)."""
    TrainingRule.objects.filter(doc_type=doc_type).update(**fields)


def status_of(person, document, **filters):
    """The matrix cell of `person` for `document` ("" when not required)."""
    built = matrix.build(people=[person.pk], **filters)
    cells = {c for row in built.rows for c in [row.cells.get(f"d{document.pk}")] if c}
    return cells.pop().status if cells else matrix.NOT_REQUIRED


def sign_all(person):
    """Complete every open training of `person` with a read-and-understood signature."""
    for assignment in open_assignments(person):
        actions.sign_trained(actor=person, assignment=assignment, credentials=SIGN)


@pytest.fixture
def sop_type(db):
    return DocumentType.objects.get(code="procedure")


@pytest.fixture
def engineer(cast):
    """A job role that requires every SOP; the trainee holds it."""
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    actions.add_requirement(
        actor=cast.qa_lead,
        job_role=role,
        kind="doc_type",
        doc_type=DocumentType.objects.get(code="procedure"),
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    return role


@pytest.fixture
def sop_a(cast, sop_type):
    """SOP-001 revision A, effective."""
    draft = documents.create_document(
        actor=cast.author,
        doc_type=sop_type,
        title="Document control",
        clauses=["4.2.4"],
        body="1. Purpose\n\nControl documents.",
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body="1. Purpose\n\nControl documents.",
        change_summary="First issue",
        change_reason="New procedure",
    )
    return approve(cast, draft)


def open_assignments(person):
    return list(person.assignments.filter(state=AssignmentState.OPEN))
