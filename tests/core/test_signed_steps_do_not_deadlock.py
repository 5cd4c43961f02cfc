"""An approval that supersedes open training and the trainees signing that training, at
the same moment, never deadlock (PostgreSQL: real locks between real connections).

The approval's effects lock the superseded revision's open assignments; a trainee's
signing locks one of them. Both append to the audit chain, whose lock is held to commit.
Core's signed steps take the chain's lock before any record row, so the two wait for
each other in one order only: each trainee is either signed before the approval or
refused after it (the training was superseded), never a database error.
"""

import threading

import pytest
from django.db import connection, connections

from openqms.core import chain
from openqms.core.errors import DomainError
from openqms.core.models import Signature
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType, RevisionState
from openqms.testing import make_cast, named
from openqms.training import actions as training
from openqms.training.models import Assignment, AssignmentState
from tests.training.conftest import SIGN, make_person, new_document

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
ROUNDS = 4


def _trainees(cast, sop_type):
    role = training.create_job_role(actor=cast.qa_lead, name="Operator")
    training.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop_type)
    people = [cast.trainee, *(make_person(f"op{n}", f"Operator {n}") for n in range(3))]
    for person in people:
        training.take_job_role(actor=cast.qa_lead, person=person, job_role=role)
    return people


def _in_review(cast, revision):
    draft = documents.start_revision(
        actor=cast.author, document=revision.document, change_reason="Update"
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=f"Changed for {draft.label}.",
        change_summary="Changed",
        change_reason="Update",
    )
    draft = documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    documents.take_step(actor=cast.reviewer, revision=draft, step="review", credentials=SIGN)
    return draft


def _at_once(*steps):
    """Run the steps in threads released together; each answers its outcome."""
    barrier, outcomes = threading.Barrier(len(steps)), [None] * len(steps)

    def run(n):
        try:
            barrier.wait()
            steps[n]()
            outcomes[n] = "done"
        except DomainError as exc:  # a refusal is an outcome
            outcomes[n] = type(exc).__name__
        except Exception as exc:  # a deadlock or any other database error fails the test
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(steps))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def _signer(person, assignment):
    return lambda: training.sign_trained(actor=person, assignment=assignment, credentials=SIGN)


def test_approving_a_new_revision_while_its_trainees_sign_the_old_one_never_deadlocks(
    flushable_db,
):
    cast = make_cast()
    sop_type = DocumentType.objects.get(code="procedure")
    people = _trainees(cast, sop_type)
    current = new_document(cast, sop_type, "Line clearance")
    for _ in range(ROUNDS):
        draft = _in_review(cast, current)
        training_on = {p.pk: Assignment.objects.get(revision=current, person=p) for p in people}

        def approve(draft=draft):
            documents.take_step(
                actor=cast.approver, revision=draft, step="approve", credentials=SIGN
            )

        signers = [_signer(p, training_on[p.pk]) for p in people]
        outcomes = _at_once(approve, *signers)
        assert outcomes[0] == "done", outcomes
        assert set(outcomes[1:]) <= {"done", "TransitionNotAllowed"}, outcomes
        for person, outcome in zip(people, outcomes[1:], strict=True):
            old = Assignment.objects.get(pk=training_on[person.pk].pk)
            trained = Signature.objects.filter(
                signer=person, meaning="trained", object_id=str(old.pk)
            ).count()
            if outcome == "done":
                assert (old.state, trained) == (AssignmentState.COMPLETED, 1)
            else:
                assert (old.state, trained) == (AssignmentState.SUPERSEDED, 0)
            assert Assignment.objects.filter(
                revision=draft, person=person, state=AssignmentState.OPEN
            ).exists()
        current.refresh_from_db()
        draft.refresh_from_db()
        assert (current.state, draft.state) == (RevisionState.SUPERSEDED, RevisionState.EFFECTIVE)
        current = draft
    assert chain.verify_chain().ok
