"""An audit-trail review (EU GMP Annex 11 §9) is created and signed "reviewed" in one step;
it says which days and view it covered, which events that view held, and the findings;
every trail reader (auditors too) finds it listed, linking to the trail with its filter."""

import datetime as dt

import pytest

from openqms.core import actions, signatures
from openqms.core.models import AuditReview, Signature
from openqms.core.signatures import Credentials
from openqms.testing import PASSWORD, changes_of, event_count, last_event
from tests.core.trail_helpers import record_at

SIGN = Credentials(PASSWORD)
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def reviewed_day(cast, monkeypatch, settings):
    """Three events on 10 March 2026 (London), two of them about the author."""
    settings.TIME_ZONE = "Europe/London"
    at = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    events = [
        record_at(monkeypatch, at, actor=cast.qa_lead, action="core.user.updated", obj=who)
        for who in (cast.author, cast.trainee, cast.author)
    ]
    return events


@pytest.mark.verifies("CORE-020")
def test_a_review_of_one_person_s_events_is_signed(cast, reviewed_day):
    before = event_count()
    review = actions.sign_audit_review(
        actor=cast.qa_lead,
        period_from=DAY,
        period_to=DAY,
        filters={"record": "Alex Author", "action": ""},
        findings="",
        no_findings=True,
        credentials=SIGN,
    )
    review = AuditReview.objects.get(pk=review.pk)
    first, _, last = reviewed_day
    assert (review.reviewer, review.period_from, review.period_to) == (cast.qa_lead, DAY, DAY)
    assert (review.filter, review.time_zone) == ({"record": "Alex Author"}, "Europe/London")
    assert (review.events, review.first_seq, review.last_seq) == (2, first.seq, last.seq)
    assert (review.last_hash, review.findings, review.no_findings) == (last.hash, "", True)
    signature = Signature.objects.get(object_type="core.auditreview", object_id=str(review.pk))
    assert (signature.signer, signature.meaning) == (cast.qa_lead, "reviewed")
    assert signature.content_hash == signatures.content_hash(review.signature_content())
    assert event_count() == before + 2  # the signature's event, then the review's
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "core.audit.reviewed",
        "core.auditreview",
        str(review.pk),
    )
    assert changes_of(event) == {
        "period": ["2026-03-10", "2026-03-10"],
        "time_zone": "Europe/London",
        "filter": {"record": "Alex Author"},
        "events": 2,
        "last_seq": last.seq,
        "no_findings": True,
    }


@pytest.mark.verifies("CORE-020")
def test_auditors_find_it_listed_with_a_link_to_the_trail(signed_in, cast, reviewed_day):
    review = actions.sign_audit_review(
        actor=cast.qa_lead,
        period_from=DAY,
        period_to=DAY,
        filters={"action": "core.user.updated"},
        findings="Two edits of the author's account without a ticket reference.",
        no_findings=False,
        credentials=SIGN,
    )
    client = signed_in(cast.auditor)
    listing = client.get("/audit/reviews/").content.decode()
    link = "/audit/?action=core.user.updated&amp;since=2026-03-10&amp;until=2026-03-10"
    assert f'href="/audit/reviews/{review.pk}/"' in listing
    assert link in listing
    assert "Two edits of the author" in listing
    detail = client.get(f"/audit/reviews/{review.pk}/").content.decode()
    assert "Quinn Avery" in detail and "Reviewed" in detail and link in detail
    trail = client.get("/audit/", {"record": "Audit-trail review"})
    assert [r.record.label for r in trail.context["rows"]] == []  # named, not searched
    named = client.get("/audit/", {"action": "core.audit.reviewed"}).context["rows"]
    assert [(r.record.label, r.record.url) for r in named] == [
        ("Audit-trail review 10 Mar 2026 – 10 Mar 2026", f"/audit/reviews/{review.pk}/")
    ]


def test_who_cannot_read_the_trail_cannot_see_the_reviews(signed_in, cast, reviewed_day):
    assert signed_in(cast.outsider).get("/audit/reviews/").status_code == 404
    assert signed_in(cast.author).get("/audit/reviews/").status_code == 404
