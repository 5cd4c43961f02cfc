"""`openqms verify`: a review or approval signature on a revision submitted to named
people is by someone named in that role, recorded as signed; a row edited in the
database to say otherwise is found."""

import pytest

from openqms.core import integrity
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit

pytestmark = pytest.mark.verifies("DOC-023", refusal=True)


def _named_findings():
    return [
        (f.trail_says, f.row_says)
        for f in integrity.run().findings
        if f.check == "documents: named signers"
    ]


def test_signers_match_the_named_rows_and_an_edited_row_is_found(cast, draft):
    revision = submit(cast, draft)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    assert _named_findings() == []
    # Someone with database access swaps the named approver for another person.
    ReviewAssignment.objects.filter(role="approver").update(person=cast.qa_lead)
    assert sorted(_named_findings()) == [
        (
            "Morgan Approver not named as approver, or not recorded as signed",
            "live “approved” signature by Morgan Approver",
        ),
        (f"user {cast.qa_lead.pk} recorded as signed as approver", "no live signature"),
    ]
