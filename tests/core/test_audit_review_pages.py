"""Recording a review from the pages: the trail links to it with its filter, the page
shows what the view holds and its hash, and the signature is posted with the password."""

import datetime as dt
import re

from openqms.core import trail
from openqms.core.models import AuditReview
from openqms.testing import PASSWORD


def _yesterday() -> str:
    return (trail.today() - dt.timedelta(days=1)).isoformat()


def test_the_trail_offers_a_review_of_its_view_to_who_may_review(signed_in, cast):
    page = signed_in(cast.qa_lead).get("/audit/", {"action": "core.role.granted"})
    assert "/audit/reviews/new/?action=core.role.granted" in page.content.decode()
    page = signed_in(cast.auditor).get("/audit/", {"action": "core.role.granted"})
    assert "/audit/reviews/new/" not in page.content.decode()


def test_a_qa_lead_signs_a_review_from_the_page(signed_in, cast):
    client = signed_in(cast.qa_lead)
    day = _yesterday()
    query = {"since": day, "until": day, "action": "core.role.granted"}
    page = client.get("/audit/reviews/new/", query)
    html = page.content.decode()
    assert "0 events from" in html and "filtered by action “core.role.granted”" in html
    shown = re.search(r'name="content_hash" value="([0-9a-f]{64})"', html).group(1)
    response = client.post(
        "/audit/reviews/new/",
        {**query, "no_findings": "on", "password": PASSWORD, "content_hash": shown},
    )
    review = AuditReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/audit/reviews/{review.pk}/"
    assert (review.filter, review.no_findings, str(review.period_to)) == (
        {"action": "core.role.granted"},
        True,
        day,
    )


def test_a_wrong_password_signs_nothing_and_keeps_the_findings(signed_in, cast):
    client = signed_in(cast.qa_lead)
    day = _yesterday()
    response = client.post(
        "/audit/reviews/new/",
        {"since": day, "until": day, "findings": "An odd sign-in", "password": "nope"},
    )
    assert response.status_code == 200
    assert AuditReview.objects.count() == 0
    assert "An odd sign-in" in response.content.decode()


def test_today_cannot_be_reviewed_yet(signed_in, cast):
    today = trail.today().isoformat()
    page = signed_in(cast.qa_lead).get("/audit/reviews/new/", {"since": today, "until": today})
    html = page.content.decode()
    assert "whole days that have ended" in html
    assert 'name="password"' not in html


def test_only_who_may_review_reaches_the_new_review_page(signed_in, cast):
    assert signed_in(cast.auditor).get("/audit/reviews/new/").status_code == 404
    assert signed_in(cast.outsider).get("/audit/reviews/new/").status_code == 404
