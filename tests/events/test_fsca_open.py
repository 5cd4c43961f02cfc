"""Opening an FSCA: its devices and markets, urgency needs a justification, refusals
write nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.links import linked
from openqms.events.actions import fsca as actions
from openqms.events.models import Fsca
from openqms.testing import changes_of, event_count, last_event

from .complaints_setup import open_complaint
from .fsca_setup import open_one


@pytest.mark.verifies("EVT-015")
def test_an_fsca_opens_planned_with_its_devices_and_markets_and_one_event(cast, class_i_device):
    before = event_count()
    fsca = open_one(cast, class_i_device)
    assert fsca.state == "planned" and fsca.number.startswith("FSCA-")
    assert fsca.device == class_i_device
    assert list(fsca.devices.values_list("identifiers", flat=True)) == ["Lot A1-2611"]
    assert list(fsca.markets.values_list("market", "units_affected", "users_affected")) == [
        ("gb", 500, 40)
    ]
    assert event_count() == before + 1
    event = last_event()
    assert event.action == "events.fsca.opened"
    assert event.object_id == str(fsca.pk)
    changes = changes_of(event)
    assert changes["state"] == [None, "planned"]
    assert changes["urgent"] == [None, False]
    assert changes["devices"] == [None, [f"{class_i_device}: Lot A1-2611"]]


@pytest.mark.verifies("EVT-015")
def test_an_urgent_fsca_needs_a_justification_and_nothing_is_written(cast, class_i_device):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        open_one(cast, class_i_device, urgent=True)
    assert "urgency_justification" in refused.value.fields
    assert event_count() == before
    assert not Fsca.objects.exists()


@pytest.mark.verifies("EVT-015")
def test_an_urgent_fsca_with_a_justification_is_recorded_as_urgent(cast, class_i_device):
    fsca = open_one(cast, class_i_device, urgent=True, justification="Patients at risk today.")
    assert fsca.urgent and fsca.urgency_justification == "Patients at risk today."
    assert changes_of(last_event())["urgency_justification"] == [None, "Patients at risk today."]


@pytest.mark.verifies("EVT-015")
def test_an_fsca_in_another_market_names_the_market(cast, class_i_device):
    with pytest.raises(InvalidInput) as refused:
        open_one(cast, class_i_device, scope="other_market")
    assert "other_market" in refused.value.fields
    fsca = open_one(cast, class_i_device, scope="other_market", other_market="United States")
    assert fsca.get_scope_display() == "FSCA in another market, for models sold in GB"


@pytest.mark.verifies("EVT-015")
def test_someone_who_only_logs_events_cannot_open_an_fsca(cast, class_i_device):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.open_fsca(actor=cast.author, title="x", reason="y", user_actions="z", devices=[])
    assert event_count() == before and not Fsca.objects.exists()


@pytest.mark.verifies("EVT-015")
def test_an_unknown_device_or_market_is_refused_by_name(cast, class_i_device):
    with pytest.raises(InvalidInput) as refused:
        actions.open_fsca(
            actor=cast.qa_lead, title="x", reason="y", user_actions="z", devices=[(999999, "L1")]
        )
    assert "device" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        actions.open_fsca(
            actor=cast.qa_lead,
            title="x",
            reason="y",
            user_actions="z",
            markets=[("mars", "", 1, 1)],
        )
    assert "market" in refused.value.fields
    assert not Fsca.objects.exists()


@pytest.mark.verifies("EVT-015")
def test_an_fsca_raised_from_a_complaint_is_linked(cast, class_i_device):
    other = open_complaint(cast, class_i_device)
    fsca = open_one(cast, class_i_device, sources=[f"events.complaint:{other.pk}"])
    assert [link.label for link in linked(cast.auditor, fsca)] == [str(other)]
