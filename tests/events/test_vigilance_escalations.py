"""Escalating emails of running clocks: at each configured point, once, to every QA lead
(REPORT holders) and the device's UK Responsible Person; none once the initial report
is submitted."""

import datetime as dt

import pytest

from openqms.core.models import QueuedEmail
from openqms.events.jobs.vigilance import send_escalations
from openqms.events.models import EscalationPoint, EscalationSent
from openqms.qms.actions.organisation import save_responsible_person

from .conftest import make_device, uk
from .vigilance_support import reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")  # decided 10:30; 10-day clock: deadline 13 Mar 00:00 GMT
DECIDED = AWARE + dt.timedelta(hours=1)
DEADLINE = dt.datetime(2026, 3, 13, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def rp(cast):
    return save_responsible_person(
        actor=cast.qa_lead, name="UKRP Ltd", address="1 High St, Leeds", email="rp@ukrp.test"
    )


@pytest.fixture
def complaint(cast, family, rp):
    device = make_device(cast, family, responsible_person=rp)
    return reportable_complaint(cast, device, AWARE)


def _mails():
    return list(QueuedEmail.objects.order_by("pk"))


@pytest.mark.verifies("EVT-011")
def test_the_seeded_points_are_decided_half_time_two_days_one_day_and_overdue():
    assert list(EscalationPoint.objects.values_list("code", flat=True)) == [
        "decided",
        "half_time",
        "two_days",
        "one_day",
        "overdue",
    ]


@pytest.mark.verifies("EVT-011")
def test_each_point_is_emailed_once_to_the_qa_leads_and_the_responsible_person(cast, complaint):
    assert send_escalations(DECIDED + dt.timedelta(minutes=5)) == "1 vigilance escalation(s) queued"
    assert send_escalations(DECIDED + dt.timedelta(minutes=6)) == "0 vigilance escalation(s) queued"
    [mail] = _mails()
    assert mail.recipients == ["qa_lead@example.test", "rp@ukrp.test"]
    assert complaint.number in mail.subject and "end of Thu 12 Mar 2026 (UK time)" in mail.subject
    half = DECIDED + (DEADLINE - DECIDED) / 2
    assert send_escalations(half - dt.timedelta(seconds=1)).startswith("0 ")
    assert send_escalations(half).startswith("1 ")
    assert send_escalations(DEADLINE - dt.timedelta(hours=48)).startswith("1 ")
    assert send_escalations(DEADLINE - dt.timedelta(hours=24)).startswith("1 ")
    assert send_escalations(DEADLINE).startswith("1 ")
    assert send_escalations(DEADLINE + dt.timedelta(days=3)).startswith("0 ")
    assert len(_mails()) == 5
    assert "overdue" in _mails()[-1].subject
    assert EscalationSent.objects.filter(skipped=False).count() == 5


@pytest.mark.verifies("EVT-011")
def test_a_job_that_did_not_run_for_days_sends_only_the_latest_point(cast, complaint):
    assert send_escalations(DEADLINE - dt.timedelta(hours=30)).startswith("1 ")
    [mail] = _mails()
    assert "1 day 6 hours left" in mail.subject
    assert EscalationSent.objects.filter(skipped=True).count() == 2  # decided, half time
    assert send_escalations(DEADLINE - dt.timedelta(hours=29)).startswith("0 ")


@pytest.mark.verifies("EVT-011")
def test_a_submitted_initial_report_stops_the_escalations(cast, complaint):
    send_escalations(DECIDED + dt.timedelta(minutes=5))
    submitted(cast, complaint, at=AWARE + dt.timedelta(days=2))
    assert send_escalations(DEADLINE).startswith("0 ")
    assert len(_mails()) == 1


@pytest.mark.verifies("EVT-011")
def test_without_a_responsible_person_the_qa_leads_are_still_told(cast, device):
    reportable_complaint(cast, device, AWARE)
    send_escalations(DECIDED + dt.timedelta(minutes=5))
    assert [m.recipients for m in _mails()] == [["qa_lead@example.test"]]


@pytest.mark.verifies("EVT-011")
def test_a_decision_re_signed_with_the_same_deadline_does_not_send_again(
    cast, complaint, monkeypatch
):
    from openqms.events.actions import complaints as complaint_actions

    from .complaints_setup import SERIOUS
    from .conftest import SIGN

    assert send_escalations(DECIDED + dt.timedelta(minutes=5)).startswith("1 ")
    monkeypatch.setattr("django.utils.timezone.now", lambda: DECIDED + dt.timedelta(minutes=10))
    again = complaint_actions.decide_reportability(
        actor=cast.qa_lead,
        complaint=complaint,
        answers=SERIOUS,
        rationale="Same judgement, clearer words.",
        credentials=SIGN,
    )
    assert again.deadline_at == DEADLINE
    assert send_escalations(DECIDED + dt.timedelta(minutes=15)).startswith("0 ")
    assert len(_mails()) == 1
