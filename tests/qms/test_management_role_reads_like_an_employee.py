"""Walk finding 1: top management reads what an employee reads: the documents in force
(the quality policy it approves), its own training, and the device file exports."""

import pytest

from openqms.core.models import Role
from openqms.core.signatures import Credentials
from openqms.documents import actions
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, named

pytestmark = pytest.mark.verifies("QMS-023")

SIGN = Credentials(PASSWORD)


def _policy_in_force(cast):
    revision = actions.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="quality_policy"),
        title="Quality policy",
        clauses=["5.3"],
        body="1. Policy\n\nWe keep our promises.",
    )
    revision = actions.edit_draft(
        actor=cast.author,
        revision=revision,
        body="1. Policy\n\nWe keep our promises.",
        change_summary="First issue",
        change_reason="New policy",
    )
    revision = actions.take_step(actor=cast.author, revision=revision, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


def test_the_management_role_holds_what_the_employee_role_holds(cast):
    employee = set(Role.objects.get(code="trainee").permissions)
    management = set(Role.objects.get(code="management").permissions)
    assert employee <= management
    assert "qms.scope:approve" in management


def test_the_manager_opens_the_documents_the_policy_and_my_training(cast, signed_in):
    revision = _policy_in_force(cast)
    number = revision.document.number
    assert number == "POL-001"
    client = signed_in(cast.manager)
    listing = client.get("/documents/")
    assert listing.status_code == 200
    assert number in listing.content.decode()
    assert client.get(f"/documents/{number}/").status_code == 200
    assert client.get("/training/my/").status_code == 200
