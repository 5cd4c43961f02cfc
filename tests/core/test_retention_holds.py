"""Legal holds on any record class: placed and released with a reason, audited on the
record itself; a held record cannot be disposed of."""

import pytest

from openqms.core.actions.retention import place_hold, release_hold
from openqms.core.errors import InvalidInput, NotFound, PermissionRefused, TransitionNotAllowed
from openqms.core.models import RecordHold
from openqms.core.retention_checks import legal_holds
from openqms.testing import changes_of, event_count, last_event
from tests.core.retention_sample import CODE, OBJECT_TYPE, sample_class, specimen


@pytest.mark.verifies("CORE-026")
def test_a_hold_is_placed_and_released_with_its_events(cast):
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        hold = place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Case 7")
        placed = last_event()
        release_hold(actor=cast.qa_lead, hold=hold, reason="Case closed")
        released = last_event()
    hold.refresh_from_db()
    assert (hold.object_type, hold.object_id, hold.released_by) == (
        OBJECT_TYPE,
        str(record.pk),
        cast.qa_lead,
    )
    assert (placed.action, placed.object_type, placed.object_id, placed.reason) == (
        "core.hold.placed",
        OBJECT_TYPE,
        str(record.pk),
        "Case 7",
    )
    assert changes_of(placed) == {"hold": [None, hold.pk], "record_class": CODE}
    assert (released.action, released.reason) == ("core.hold.released", "Case closed")
    assert changes_of(released) == {"hold": [hold.pk, None], "record_class": CODE}
    assert list(legal_holds()) == []


def test_a_hold_released_twice_is_refused(cast):
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        hold = place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Case")
        release_hold(actor=cast.qa_lead, hold=hold, reason="Closed")
        before = event_count()
        with pytest.raises(TransitionNotAllowed, match="already released"):
            release_hold(actor=cast.qa_lead, hold=hold, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("CORE-026", refusal=True)
def test_a_hold_needs_a_reason_a_record_and_the_right(cast):
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        before = event_count()
        with pytest.raises(InvalidInput, match="reason"):
            place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason=" ")
        with pytest.raises(NotFound):
            place_hold(actor=cast.qa_lead, code=CODE, object_id="999999", reason="Case")
        with pytest.raises(NotFound):
            place_hold(actor=cast.qa_lead, code=CODE, object_id="not-a-key", reason="Case")
        with pytest.raises(PermissionRefused):
            place_hold(actor=cast.author, code=CODE, object_id=str(record.pk), reason="Case")
    assert event_count() == before and not RecordHold.objects.exists()


def test_a_hold_released_in_the_database_is_found_by_verify(cast):
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        hold = place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Case")
    RecordHold.objects.filter(pk=hold.pk).update(released_at=hold.placed_at)
    [finding] = legal_holds()
    assert (finding.record, finding.trail_says, finding.row_says) == (
        f"core.recordhold {hold.pk}",
        "on",
        "released",
    )
