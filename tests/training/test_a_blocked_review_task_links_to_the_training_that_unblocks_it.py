"""An untrained reviewer's or approver's task in My tasks says what blocks it and links to
the training that unblocks it (the training gate's answer, through core's task blockers:
documents' inbox does not know training), in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.inbox import tasks_for
from openqms.documents import actions as documents
from openqms.testing import named
from openqms.training import actions

from .conftest import SIGN, new_document, open_assignments, set_rule


def _submit_next(cast, revision, approvers=None):
    draft = documents.start_revision(
        actor=cast.author, document=revision.document, change_reason="Update"
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body="Changed.",
        change_summary="Changed",
        change_reason="Update",
    )
    return documents.take_step(
        actor=cast.author, revision=draft, step="submit", **named(cast, approvers=approvers)
    )


def _document_tasks(user):
    return [
        (t.title, t.blocked, t.blocked_url)
        for t in tasks_for(user)
        if t.kind.startswith("Document")
    ]


@pytest.fixture
def reviewer_in_role(cast, engineer):
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)


@pytest.mark.verifies("TRN-024")
def test_the_untrained_reviewers_task_links_to_their_open_training(
    cast, sop_type, reviewer_in_role
):
    rev_a = new_document(cast, sop_type, "Cleaning")
    _submit_next(cast, rev_a)
    set_rule(sop_type, gate=True)  # on since: submitting now refuses the untrained
    (training,) = open_assignments(cast.reviewer)
    assert _document_tasks(cast.reviewer) == [
        (
            "Review SOP-001 rev B: Cleaning",
            "Complete your training on SOP-001 rev A first",
            f"/training/assignments/{training.pk}/",
        )
    ]
    actions.sign_trained(actor=cast.reviewer, assignment=training, credentials=SIGN)
    assert _document_tasks(cast.reviewer) == [("Review SOP-001 rev B: Cleaning", "", "")]


def test_an_approver_with_no_training_assigned_is_told_to_ask_qa(cast, sop_type):
    """Not sent to My training, where nothing waits: told who assigns it, and given the
    revision in force to read meanwhile."""
    rev_a = new_document(cast, sop_type, "Cleaning")
    rev_b = _submit_next(cast, rev_a)
    documents.take_step(actor=cast.reviewer, revision=rev_b, step="review", credentials=SIGN)
    set_rule(sop_type, gate=True)
    assert _document_tasks(cast.approver) == [
        (
            "Approve SOP-001 rev B: Cleaning",
            "Ask QA (Ada Administrator, Quinn Avery) to assign you training on SOP-001 rev A first",
            "/documents/SOP-001/A/",
        )
    ]


def test_someone_who_assigns_training_is_linked_to_the_assign_page_filled_in(cast, sop_type):
    rev_a = new_document(cast, sop_type, "Cleaning")
    rev_b = _submit_next(cast, rev_a, approvers=[cast.qa_lead])
    documents.take_step(actor=cast.reviewer, revision=rev_b, step="review", credentials=SIGN)
    set_rule(sop_type, gate=True)
    ((_, blocked, url),) = _document_tasks(cast.qa_lead)
    assert blocked.startswith("Ask QA (Ada Administrator, Quinn Avery) to assign you training")
    assert url == f"/training/assign/?person={cast.qa_lead.username}&document=SOP-001"


def test_without_the_gate_nothing_is_blocked(cast, sop_type, reviewer_in_role):
    rev_a = new_document(cast, sop_type, "Cleaning")
    _submit_next(cast, rev_a)
    assert _document_tasks(cast.reviewer) == [("Review SOP-001 rev B: Cleaning", "", "")]


def test_a_new_documents_first_revision_blocks_nobody(cast, sop_type):
    set_rule(sop_type, gate=True)
    draft = documents.create_document(
        actor=cast.author, doc_type=sop_type, title="Cleaning", body="Text."
    )
    documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    assert _document_tasks(cast.reviewer) == [("Review SOP-001 rev A: Cleaning", "", "")]


def test_blocked_tasks_cost_the_same_queries_for_2_or_6(cast, sop_type, reviewer_in_role):
    def count(n):
        set_rule(sop_type, gate=False)
        for i in range(n):
            _submit_next(cast, new_document(cast, sop_type, f"Procedure {i}"))
        set_rule(sop_type, gate=True)
        with CaptureQueriesContext(connection) as queries:
            tasks = tasks_for(cast.reviewer)
        assert sum(1 for t in tasks if t.blocked) == len(
            [t for t in tasks if t.kind == "Document review"]
        )
        return len(queries), sum(1 for t in tasks if t.blocked)

    few, blocked_few = count(2)
    many, blocked_many = count(4)
    assert (blocked_few, blocked_many) == (2, 6)
    assert many == few
