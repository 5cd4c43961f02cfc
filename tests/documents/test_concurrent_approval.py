"""Two approvers signing the last approval at the same moment leave exactly one
effective revision (PostgreSQL: real row locks between real connections)."""

import threading

import pytest
from django.db import connection, connections

from openqms.core.errors import DomainError
from openqms.core.models import Signature
from openqms.documents import actions
from openqms.documents.models import DocumentType, Revision
from openqms.testing import make_cast, named
from tests.documents.conftest import SIGN

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


@pytest.mark.verifies("DOC-008")
def test_two_simultaneous_approvals_make_one_effective_revision(flushable_db):
    cast = make_cast()
    revision = actions.create_document(
        actor=cast.author,
        title="Cleaning",
        doc_type=DocumentType.objects.get(code="procedure"),
        body="Wipe with alcohol.",
    )
    revision = actions.take_step(actor=cast.author, revision=revision, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    barrier, outcomes = threading.Barrier(2), []

    def approve(person):
        try:
            barrier.wait()
            actions.take_step(actor=person, revision=revision, step="approve", credentials=SIGN)
            outcomes.append("approved")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(p,)) for p in (cast.approver, cast.qa_lead)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["TransitionNotAllowed", "approved"]
    assert Revision.objects.filter(state="effective").count() == 1
    assert Signature.objects.filter(meaning="approved").count() == 1
