"""The MHRA is told before a GB FSCA is carried out, unless urgent: "start" is refused
until the notification is recorded and dated before the start; an urgent FSCA with a
justification may start first, and its late notification is flagged until recorded."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import fsca as actions
from openqms.testing import changes_of, event_count, last_event

from .conftest import uk
from .fsca_setup import NOTIFIED, STARTED, open_one, snapshot


@pytest.mark.verifies("EVT-016", refusal=True)
def test_a_gb_fsca_cannot_start_before_the_mhra_is_told(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    assert "The MHRA must be told before the FSCA is carried out" in refused.value.message
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-016")
def test_once_the_mhra_is_told_the_fsca_starts_after_the_notification(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    fsca = actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-1"
    )
    assert fsca.state == "notified"
    event = last_event()
    assert event.action == "events.fsca.mhra_notified"
    assert changes_of(event)["state"] == ["planned", "notified"]
    assert changes_of(event)["mhra_reference"] == ["", "MHRA-1"]
    count = event_count()
    fsca = actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    assert fsca.state == "in_progress" and fsca.started_at == STARTED
    assert event_count() == count + 1
    event = last_event()
    assert event.action == "events.fsca.started"
    assert changes_of(event)["state"] == ["notified", "in_progress"]
    assert not fsca.notification_late


@pytest.mark.verifies("EVT-016", refusal=True)
def test_a_start_dated_before_the_notification_is_refused(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    fsca = actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-1"
    )
    before, count = snapshot(fsca), event_count()
    for when in (uk("2026-03-02 09:59"), NOTIFIED):
        with pytest.raises(InvalidInput) as refused:
            actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=when)
        assert "started_at" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-016", refusal=True)
def test_a_notification_dated_in_the_future_is_refused(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.record_mhra_notification(
            actor=cast.qa_lead, fsca=fsca, notified_at=uk("2999-01-01 10:00"), reference="M"
        )
    assert "notified_at" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-016")
def test_an_urgent_fsca_starts_first_and_is_flagged_until_the_mhra_is_told(cast, class_i_device):
    fsca = open_one(cast, class_i_device, urgent=True, justification="Skin burns reported.")
    fsca = actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    assert fsca.state == "in_progress" and fsca.notification_late
    # The notification comes after the start: recorded, marked late, the flag cleared.
    late = uk("2026-03-03 15:00")
    fsca = actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=fsca, notified_at=late, reference="MHRA-2"
    )
    assert fsca.state == "in_progress" and not fsca.notification_late
    event = last_event()
    assert event.action == "events.fsca.mhra_notified"
    assert changes_of(event)["late"] == [None, True]


@pytest.mark.verifies("EVT-016", refusal=True)
def test_urgency_without_a_justification_cannot_be_set_so_the_rule_holds(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.edit_fsca(actor=cast.qa_lead, fsca=fsca, urgent=True)
    assert "urgency_justification" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count
    with pytest.raises(TransitionNotAllowed):
        actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)


@pytest.mark.verifies("EVT-016")
def test_an_fsca_in_another_market_starts_without_the_mhra_rule(cast, class_i_device):
    fsca = open_one(cast, class_i_device, scope="other_market", other_market="Ireland")
    fsca = actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    assert fsca.state == "in_progress" and not fsca.notification_late


@pytest.mark.verifies("EVT-016", refusal=True)
def test_only_those_who_report_to_the_mhra_record_the_notification(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(PermissionRefused):
        actions.record_mhra_notification(
            actor=cast.manager, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-1"
        )
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-016", refusal=True)
def test_the_notification_is_recorded_once(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    fsca = actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-1"
    )
    count = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.record_mhra_notification(
            actor=cast.qa_lead, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-9"
        )
    assert event_count() == count


@pytest.mark.verifies("EVT-016", refusal=True)
def test_urgency_is_fixed_once_the_action_has_started(cast, class_i_device):
    fsca = open_one(cast, class_i_device, urgent=True, justification="Now.")
    fsca = actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    count = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.edit_fsca(actor=cast.qa_lead, fsca=fsca, urgent=False)
    assert event_count() == count


@pytest.mark.verifies("EVT-016", refusal=True)
def test_a_notification_from_a_stale_copy_is_refused_and_stores_no_file(cast, class_i_device):
    import io

    from openqms.core.models import StoredFile

    stale = open_one(cast, class_i_device)
    actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=stale, notified_at=NOTIFIED, reference="MHRA-1"
    )
    count, files = event_count(), StoredFile.objects.count()
    assert stale.mhra_notified_at is None  # the caller's copy predates the notification
    with pytest.raises(TransitionNotAllowed, match="recorded already"):
        actions.record_mhra_notification(
            actor=cast.qa_lead,
            fsca=stale,
            notified_at=NOTIFIED,
            reference="MHRA-9",
            file=io.BytesIO(b"%PDF-1.4 letter"),
            file_name="letter.pdf",
        )
    assert (event_count(), StoredFile.objects.count()) == (count, files)
    stale.refresh_from_db()
    assert stale.mhra_reference == "MHRA-1"
