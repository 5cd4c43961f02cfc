import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.documents import actions as documents
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, AssignmentState

from .conftest import sign_all


@pytest.mark.verifies("TRN-017")
def test_withdrawing_a_document_closes_its_open_training_and_keeps_completed(cast, engineer, sop_a):
    actions.take_job_role(actor=cast.qa_lead, person=cast.author, job_role=engineer)
    sign_all(cast.author)
    before = event_count()
    documents.withdraw_document(actor=cast.qa_lead, document=sop_a.document, reason="Merged")
    (open_one,) = Assignment.objects.filter(person=cast.trainee)
    assert (open_one.state, open_one.closed_reason) == (
        AssignmentState.CANCELLED,
        "SOP-001 was withdrawn: Merged",
    )
    assert Assignment.objects.get(person=cast.author).state == AssignmentState.COMPLETED
    cancelled = [e for e in events_since(before) if e.action == "training.assignment.cancelled"]
    assert [changes_of(e)["assignments"] for e in cancelled] == [["trainee: SOP-001 rev A"]]


def test_a_job_role_cannot_end_in_the_future(cast, engineer):
    holding = cast.trainee.job_roles_held.get()
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.leave_job_role(
            actor=cast.qa_lead,
            holding=holding,
            reason="Moves team next month",
            ended_on=timezone.localdate() + dt.timedelta(days=30),
        )
    holding.refresh_from_db()
    assert holding.ended_on is None and event_count() == before
