"""Two sessions signing the same training at the same moment leave exactly one signature
and one completion (PostgreSQL: real row locks between real connections)."""

import threading

import pytest
from django.db import connection, connections

from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Signature
from openqms.documents.models import DocumentType
from openqms.testing import make_cast
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState

from .conftest import SIGN, new_document

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


@pytest.mark.verifies("TRN-019")
def test_two_simultaneous_signings_complete_the_training_once(flushable_db):
    cast = make_cast()
    sop_type = DocumentType.objects.get(code="procedure")
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    actions.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop_type)
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    revision = new_document(cast, sop_type, "Cleaning")
    assignment = Assignment.objects.get(revision=revision, person=cast.trainee)
    barrier, outcomes = threading.Barrier(2), []

    def sign():
        try:
            barrier.wait()
            actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
            outcomes.append("signed")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["TransitionNotAllowed", "signed"]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.COMPLETED
    assert Signature.objects.filter(meaning="trained").count() == 1
    assert AuditEvent.objects.filter(action="training.assignment.completed").count() == 1
