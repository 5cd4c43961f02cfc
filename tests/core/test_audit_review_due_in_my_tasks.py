"""A review of the whole trail falls due OPENQMS_AUDIT_REVIEW_DAYS after the last day the
last one covered (or the trail's first day); My tasks says so to who may review."""

import datetime as dt

from openqms.core import actions, audit_reviews, trail
from openqms.core.signatures import Credentials
from openqms.testing import PASSWORD


def _later(monkeypatch, days: int) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=days)
    monkeypatch.setattr(trail, "today", lambda: day)
    return day


def test_a_due_review_is_in_the_qa_lead_s_tasks_only(signed_in, cast, settings, monkeypatch):
    settings.AUDIT_REVIEW_DAYS = 30
    first_day = trail.today()
    assert audit_reviews.review_due(cast.qa_lead) == []  # the trail started today
    today = _later(monkeypatch, 31)
    [task] = audit_reviews.review_due(cast.qa_lead)
    yesterday = today - dt.timedelta(days=1)
    assert task.due == first_day + dt.timedelta(days=29)
    assert task.url == (
        f"/audit/reviews/new/?since={first_day.isoformat()}&until={yesterday.isoformat()}"
    )
    assert audit_reviews.review_due(cast.auditor) == []
    page = signed_in(cast.qa_lead).get("/").content.decode()
    assert "Review the audit trail from" in page and "Audit-trail review" in page


def test_a_review_of_the_whole_trail_moves_the_due_date(cast, settings, monkeypatch):
    settings.AUDIT_REVIEW_DAYS = 30
    today = _later(monkeypatch, 31)
    yesterday = today - dt.timedelta(days=1)
    actions.sign_audit_review(
        actor=cast.qa_lead,
        period_from=dt.date.today(),
        period_to=yesterday,
        filters={},
        findings="",
        no_findings=True,
        credentials=Credentials(PASSWORD),
    )
    assert audit_reviews.review_due(cast.qa_lead) == []
    assert audit_reviews.next_due() == yesterday + dt.timedelta(days=30)


def test_no_review_is_ever_due_when_the_setting_is_zero(cast, settings, monkeypatch):
    settings.AUDIT_REVIEW_DAYS = 0
    _later(monkeypatch, 400)
    assert audit_reviews.review_due(cast.qa_lead) == []
