"""Requirements of the quality events module that no earlier test verified (issue 14)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.events.actions import complaints as actions
from openqms.events.models import Complaint
from openqms.testing import event_count

from .complaints_setup import log


@pytest.mark.verifies("EVT-002", refusal=True)
def test_an_awareness_time_in_the_future_is_refused_and_nothing_is_written(cast, device):
    feedback = log(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.classify_complaint(
            actor=cast.qa_lead,
            feedback=feedback,
            device=device,
            what_happened="Missed",
            awareness_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "awareness_at" in refused.value.fields
    feedback.refresh_from_db()
    assert (feedback.classification, event_count()) == ("pending", before)
    assert not Complaint.objects.exists()
