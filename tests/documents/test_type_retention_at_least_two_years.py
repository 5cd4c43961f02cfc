"""A document type's retention is 2 years or more (ISO 13485 4.2.5), or 0: kept for ever.
One year is refused on the page and by the action, with nothing changed."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.testing import changes_of, event_count, last_event
from tests.documents.test_document_types import _update

FORM = {
    "name": "Procedure (SOP)",
    "prefix": "SOP",
    "digits": 3,
    "revision_scheme": "letters",
    "review_interval_months": 24,
    "needs_review": "on",
    "approval_mode": "all",
    "reason": "New policy",
}


def test_one_year_is_refused_by_the_action_and_nothing_changes(cast, sop_type):
    before = event_count()
    with pytest.raises(InvalidInput, match=r"cannot be 1 year: records are kept at least 2 years"):
        _update(cast.qa_lead, sop_type, retention_years=1)
    sop_type.refresh_from_db()
    assert sop_type.retention_years == 0 and event_count() == before


@pytest.mark.parametrize("years", [2, 0])
def test_two_years_or_for_ever_are_accepted(cast, sop_type, years):
    if years == 0:  # a change first, so that 0 is one too
        _update(cast.qa_lead, sop_type, retention_years=5)
    _update(cast.qa_lead, sop_type, retention_years=years)
    event = last_event()
    assert event.action == "documents.type.updated"
    assert changes_of(event)["retention_years"][1] == years


def test_the_page_names_the_minimum_and_changes_nothing(signed_in, cast, sop_type):
    client = signed_in(cast.admin)
    before = event_count()
    response = client.post("/documents/types/procedure/", {**FORM, "retention_years": 1})
    assert response.status_code == 200
    assert "At least 2 years (ISO 13485 4.2.5), or 0: kept for ever." in response.content.decode()
    sop_type.refresh_from_db()
    assert sop_type.retention_years == 0 and event_count() == before
