"""The reviews page lists revisions in review with the named people yet to sign and the
due date, overdue ones marked."""

import datetime as dt

from django.utils import timezone

from openqms.documents.models import ReviewAssignment
from tests.documents.named_review import submit


def test_the_reviews_page_lists_who_is_yet_to_sign(signed_in, cast, draft):
    submit(cast, draft)
    page = signed_in(cast.qa_lead).get("/documents/reviews/").content.decode()
    assert "Riley Reviewer (reviewer), Morgan Approver (approver)" in page
    assert "overdue</span>" not in page.split("Revisions waiting")[1]
    ReviewAssignment.objects.update(due_date=timezone.localdate() - dt.timedelta(days=1))
    page = signed_in(cast.qa_lead).get("/documents/reviews/").content.decode()
    assert "overdue</span>" in page.split("Revisions waiting")[1]
