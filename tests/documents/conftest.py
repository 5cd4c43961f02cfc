import pytest

from openqms.core.signatures import Credentials
from openqms.documents import actions
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, named

SIGN = Credentials(PASSWORD)


@pytest.fixture
def sop_type(db):
    return DocumentType.objects.get(code="procedure")


@pytest.fixture
def draft(cast, sop_type):
    """SOP-001 revision A, a draft by the author."""
    revision = actions.create_document(
        actor=cast.author,
        doc_type=sop_type,
        title="Document control",
        clauses=["4.2.4"],
        body="1. Purpose\n\nControl documents.",
    )
    return actions.edit_draft(
        actor=cast.author,
        revision=revision,
        body="1. Purpose\n\nControl documents.",
        change_summary="First issue",
        change_reason="New procedure",
    )


@pytest.fixture
def effective(cast, draft):
    """SOP-001 revision A, reviewed, approved and effective."""
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )
