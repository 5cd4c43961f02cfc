import pytest

from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD
from openqms.training import actions
from openqms.training.models import AssignmentState

SIGN = Credentials(PASSWORD)


def approve(cast, revision, **kwargs):
    """Submit, review and approve a draft (effective at once unless dated later)."""
    revision = documents.take_step(actor=cast.author, revision=revision, step="submit")
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
        actor=cast.author, revision=draft, body=body, change_summary="Changed",
        change_reason="Update",
    )
    return approve(cast, draft, **kwargs)


@pytest.fixture
def sop_type(db):
    return DocumentType.objects.get(code="procedure")


@pytest.fixture
def engineer(cast):
    """A job role that requires every SOP; the trainee holds it."""
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="doc_type",
        doc_type=DocumentType.objects.get(code="procedure"),
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    return role


@pytest.fixture
def sop_a(cast, sop_type):
    """SOP-001 revision A, effective."""
    draft = documents.create_document(
        actor=cast.author, doc_type=sop_type, title="Document control", clauses=["4.2.4"],
        body="1. Purpose\n\nControl documents.",
    )
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="1. Purpose\n\nControl documents.",
        change_summary="First issue", change_reason="New procedure",
    )
    return approve(cast, draft)


def open_assignments(person):
    return list(person.assignments.filter(state=AssignmentState.OPEN))
