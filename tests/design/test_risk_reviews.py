"""A new complaint or CAPA for a device with a risk file opens a risk review (through
events' actions and the "events.record_opened" hook); closing it is audited and links the
hazards concerned."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.models import RecordLink
from openqms.design.actions import risk
from openqms.design.inbox.risk import risk_review_tasks
from openqms.design.models import RiskReview
from openqms.testing import changes_of, event_count, last_event
from tests.design.risk_helpers import device, risk_file  # noqa: F401
from tests.events.capa_helpers import raised
from tests.events.complaints_setup import open_complaint


@pytest.mark.verifies("DES-037")
def test_a_new_complaint_for_the_device_opens_a_risk_review(cast, device, risk_file):  # noqa: F811
    complaint = open_complaint(cast, device)
    review = RiskReview.objects.get()
    assert (review.file, review.source_type, review.source_id) == (
        risk_file,
        "events.complaint",
        str(complaint.pk),
    )
    assert last_event().action == "design.risk_review.opened"
    assert [t.kind for t in risk_review_tasks(cast.author)] == ["Risk review"]
    assert risk_review_tasks(cast.trainee) == []


@pytest.mark.verifies("DES-037")
def test_a_new_capa_for_the_device_opens_a_risk_review(cast, device, risk_file):  # noqa: F811
    capa = raised(cast, device=device)
    assert RiskReview.objects.get().source_label == str(capa)


@pytest.mark.verifies("DES-037")
def test_a_record_for_a_device_without_a_risk_file_opens_none(cast, device):  # noqa: F811
    open_complaint(cast, device)
    raised(cast)
    assert RiskReview.objects.count() == 0


@pytest.mark.verifies("DES-037")
def test_closing_a_review_records_the_outcome_and_links_the_hazards(cast, device, risk_file):  # noqa: F811
    complaint = open_complaint(cast, device)
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    review = RiskReview.objects.get()
    risk.close_review(actor=cast.author, review=review, outcome="updated", hazards=[hazard])
    review.refresh_from_db()
    assert (review.outcome, list(review.hazards.all())) == ("updated", [hazard])
    event = last_event()
    assert event.action == "design.risk_review.closed"
    assert changes_of(event)["hazards"] == [None, ["HAZ-001"]]
    ends = set(RecordLink.objects.values_list("from_type", "to_type", "kind"))
    assert ends == {
        ("design.riskreview", "design.hazard", "related"),
        ("events.complaint", "design.hazard", "related"),
    } | {e for e in ends if e[2] != "related"}
    assert risk_review_tasks(cast.author) == []
    assert str(complaint.pk) == review.source_id


@pytest.mark.verifies("DES-037")
def test_risk_file_updated_without_hazards_is_refused_and_writes_nothing(cast, device, risk_file):  # noqa: F811
    open_complaint(cast, device)
    review = RiskReview.objects.get()
    before = event_count()
    with pytest.raises(InvalidInput, match="Name the hazards"):
        risk.close_review(actor=cast.author, review=review, outcome="updated")
    review.refresh_from_db()
    assert (review.closed_at, event_count()) == (None, before)
