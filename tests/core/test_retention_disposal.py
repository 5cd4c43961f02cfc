"""Signed disposal of any record class: only once retention has run out and no hold is
on; the refusal names the rule and the date; the signature keeps verifying."""

import datetime as dt

import pytest
from django.core.management import call_command

from openqms.core.actions.retention import dispose_record, place_hold, release_hold
from openqms.core.errors import PermissionRefused, ReauthenticationFailed, TransitionNotAllowed
from openqms.core.models import RecordDisposition
from openqms.core.retention_checks import dispositions
from openqms.core.signatures import Credentials, manifestations
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from tests.core.retention_sample import CODE, OBJECT_TYPE, device, sample_class, specimen

SIGN = Credentials(PASSWORD)
LONG_AGO = dt.date(2010, 1, 1)


def _dispose(actor, record, credentials=SIGN):
    return dispose_record(
        actor=actor,
        code=CODE,
        object_id=str(record.pk),
        reason="Retention over",
        credentials=credentials,
    )


def test_a_record_past_its_retention_is_disposed_of_with_a_signature(cast):
    with sample_class(years=5) as sample:
        record = specimen(cast, LONG_AGO, sample)
        before = event_count()
        disposition = _dispose(cast.qa_lead, record)
        written = events_since(before)
    [shown] = manifestations(disposition)
    assert (shown.printed_name, shown.meaning_label, shown.valid) == (
        "Quinn Avery",
        "Disposal approved",
        True,
    )
    assert (disposition.object_type, disposition.object_id, disposition.retention_ended) == (
        OBJECT_TYPE,
        str(record.pk),
        dt.date(2015, 1, 1),
    )
    disposed = written[-1]
    assert [e.action for e in written] == ["core.signature.signed", "core.record.disposed"]
    assert (disposed.object_type, disposed.object_id, disposed.reason) == (
        OBJECT_TYPE,
        str(record.pk),
        "Retention over",
    )
    assert changes_of(disposed) == {
        "disposition": [None, disposition.pk],
        "record_class": CODE,
        "retention_ended": "2015-01-01",
    }
    assert list(dispositions()) == []
    call_command("verify")  # the signature and the reconcile checks stand


def test_a_record_in_retention_is_kept_and_the_refusal_names_the_rule_and_date(cast):
    with sample_class(years=50) as sample:
        record = specimen(cast, LONG_AGO, sample)
        before = event_count()
        with pytest.raises(TransitionNotAllowed, match=r"until 01 Jan 2060 \(rule: 50 years after"):
            _dispose(cast.qa_lead, record)
    assert event_count() == before and not RecordDisposition.objects.exists()


def test_a_record_in_use_cannot_be_disposed_of(cast):
    with sample_class(years=5) as sample:
        record = specimen(cast, None, sample)
        with pytest.raises(TransitionNotAllowed, match="while in use, or for ever"):
            _dispose(cast.qa_lead, record)
    assert not RecordDisposition.objects.exists()


def test_a_hold_stops_disposal_until_released(cast):
    with sample_class(years=5) as sample:
        record = specimen(cast, LONG_AGO, sample)
        hold = place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Case")
        before = event_count()
        with pytest.raises(TransitionNotAllowed, match="legal hold"):
            _dispose(cast.qa_lead, record)
        assert event_count() == before
        release_hold(actor=cast.qa_lead, hold=hold, reason="Closed")
        assert _dispose(cast.qa_lead, record).object_id == str(record.pk)
        with pytest.raises(TransitionNotAllowed, match="already disposed"):
            _dispose(cast.qa_lead, record)
        with pytest.raises(TransitionNotAllowed, match="disposed of"):
            place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Late")


def test_disposal_needs_the_password_and_the_right(cast):
    with sample_class(years=5) as sample:
        record = specimen(cast, LONG_AGO, sample)
        with pytest.raises(ReauthenticationFailed):
            _dispose(cast.qa_lead, record, credentials=Credentials("wrong"))
        with pytest.raises(PermissionRefused):
            _dispose(cast.author, record)
    assert not RecordDisposition.objects.exists()


def test_a_disposition_without_its_event_is_found_by_verify(cast):
    with sample_class(years=5) as sample:
        record = specimen(cast, LONG_AGO, sample)
        disposition = _dispose(cast.qa_lead, record)
    RecordDisposition.objects.filter(pk=disposition.pk).update(object_id="999")
    [finding] = dispositions()
    assert finding.record == f"core.recorddisposition {disposition.pk}"


def test_a_record_of_a_device_not_yet_released_or_without_lifetime_is_kept_and_says_why(cast):
    # ISO 13485 4.2.5: two years from release and the device's lifetime at least; until
    # both are recorded the floor is unknown, so the record stays.
    for missing, dates in (
        ("no release date", device(released=None, last_placed=None, lifetime=None)),
        ("no expected lifetime", device(lifetime=None)),
    ):
        with sample_class(years=5) as sample:
            record = specimen(cast, LONG_AGO, sample)
            sample.devices[str(record.pk)] = [dates]
            before = event_count()
            with pytest.raises(
                TransitionNotAllowed, match=f"must be kept: RhythmCheck 2.1 has {missing} recorded"
            ):
                _dispose(cast.qa_lead, record)
        assert event_count() == before and not RecordDisposition.objects.exists()
