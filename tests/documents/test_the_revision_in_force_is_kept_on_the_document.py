"""The document row says whether a revision is in force (issue 10: an ordinary reader's
list is read off it); every lifecycle step keeps it right and `openqms verify` checks it."""

import pytest
from django.urls import reverse

from openqms.core import integrity
from openqms.documents import actions
from openqms.documents.models import Document
from openqms.testing import named
from tests.documents.conftest import SIGN


def _in_force(document) -> bool:
    return Document.objects.get(pk=document.pk).in_force


def _in_force_findings() -> list[integrity.Finding]:
    return [f for f in integrity.run().findings if f.check == "documents: in force"]


def test_a_draft_document_is_not_in_force(draft):
    assert _in_force(draft.document) is False


@pytest.mark.verifies("DOC-008")
def test_approval_puts_it_in_force_and_a_new_revision_keeps_it(cast, effective):
    document = effective.document
    assert _in_force(document) is True
    b = actions.start_revision(actor=cast.author, document=document, change_reason="Update")
    b = actions.edit_draft(
        actor=cast.author, revision=b, body="New text", change_summary="s", change_reason="r"
    )
    b = actions.take_step(actor=cast.author, revision=b, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=b, step="review", credentials=SIGN)
    actions.take_step(actor=cast.approver, revision=b, step="approve", credentials=SIGN)
    assert _in_force(document) is True  # A superseded, B effective: still in force
    assert _in_force_findings() == []


def test_withdrawal_takes_it_out_of_force(cast, effective):
    actions.withdraw_document(actor=cast.qa_lead, document=effective.document, reason="Replaced")
    assert _in_force(effective.document) is False
    assert _in_force_findings() == []


def test_an_ordinary_reader_lists_documents_in_force_and_not_drafts(cast, signed_in, effective):
    actions.create_document(
        actor=cast.author, doc_type=effective.document.doc_type, title="Unreleased", clauses=[]
    )
    page = signed_in(cast.trainee).get(reverse("documents:list"))
    assert [d.number for d in page.context["rows"]] == [effective.document.number]
    own = signed_in(cast.author).get(reverse("documents:list"))
    assert len(own.context["rows"]) == 2  # the author also sees their own draft


@pytest.mark.verifies("DOC-008", refusal=True)
def test_a_flag_set_by_hand_is_found_by_verify(draft):
    Document.objects.filter(pk=draft.document.pk).update(in_force=True)
    [finding] = _in_force_findings()
    assert finding.record == f"documents.document {draft.document.pk} (SOP-001)"
    assert (finding.trail_says, finding.row_says) == ("no revision in force", "in force")
