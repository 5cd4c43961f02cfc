"""The complaint shows the deadline of the decision in force and the time left, or how
long it is overdue, in red; a decision signed over content that changed since it was
shown signs nothing."""

import datetime as dt

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.signing import signer_credentials
from openqms.events.actions import complaints as actions
from openqms.events.models import ReportabilityDecision
from openqms.testing import PASSWORD, event_count

from .complaints_setup import SERIOUS, decide, open_complaint
from .conftest import SIGN


@pytest.mark.verifies("EVT-011")
def test_time_left_is_shown_then_overdue_in_red(cast, device, signed_in, monkeypatch):
    complaint = open_complaint(cast, device)
    decision = decide(cast, complaint)
    soon = decision.deadline_at - dt.timedelta(days=4, hours=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: soon)
    html = signed_in(cast.auditor).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert "4 days 2 hours left" in html
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: decision.deadline_at + dt.timedelta(hours=3)
    )
    # Signed in again at the new time (an idle session would have expired).
    html = signed_in(cast.auditor).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert 'class="bad" data-testid="clock">Overdue by 3 hours 0 min' in html


@pytest.mark.verifies("EVT-011")
def test_a_complaint_reported_on_time_and_awaiting_its_final_report_is_not_overdue(
    cast, device, signed_in, monkeypatch
):
    from openqms.events.actions import vigilance

    complaint = open_complaint(cast, device)
    decision = decide(cast, complaint)
    report = vigilance.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    vigilance.submit_report(
        actor=cast.qa_lead,
        report=report,
        mhra_reference="MHRA-1",
        submitted_at=complaint.awareness_at + dt.timedelta(days=1),
        credentials=SIGN,
    )
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: decision.deadline_at + dt.timedelta(days=3)
    )
    html = signed_in(cast.auditor).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert "the clock has stopped" in html
    assert "Overdue" not in html and 'class="bad" data-testid="clock"' not in html


@pytest.mark.verifies("EVT-006", refusal=True)
def test_a_complaint_changed_since_it_was_shown_signs_nothing(cast, device):
    complaint = open_complaint(cast, device)
    stale = signer_credentials(password=PASSWORD, content_hash="0" * 64)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.decide_reportability(
            actor=cast.qa_lead,
            complaint=complaint,
            answers=SERIOUS,
            rationale="x",
            credentials=stale,
        )
    assert (event_count(), ReportabilityDecision.objects.count()) == (before, 0)
