"""The new audit-trail review page, with no period to suggest (nothing reviewable yet),
shows the empty period form without "This field is required." (walk finding 16); a
period asked for and left half empty is still refused with the field named."""

from openqms.core import audit_reviews


def test_the_empty_form_shows_no_errors(signed_in, cast):
    assert audit_reviews.next_period() is None  # the trail began today
    html = signed_in(cast.qa_lead).get("/audit/reviews/new/").content.decode()
    assert 'name="since"' in html and 'name="until"' in html
    assert "This field is required." not in html


def test_a_half_given_period_is_still_refused(signed_in, cast):
    html = signed_in(cast.qa_lead).get("/audit/reviews/new/", {"since": "2026-01-01"})
    assert html.content.decode().count("This field is required.") == 1
