"""Markets with their conformity route, and UDIs with their format checked (GS1 check
digit), added and removed through audited actions."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.devices import actions
from openqms.devices.models import CeRecognition, DeviceMarket, DeviceUdi
from openqms.qms.models import ApprovedBody
from openqms.testing import changes_of, event_count, last_event


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="BSI UK", number="0086")


@pytest.mark.verifies("DEV-006")
def test_a_market_is_added_with_its_route_and_body(cast, device, body):
    row = actions.add_market(
        actor=cast.qa_lead, device=device, market="gb", route="ukca", body=body
    )
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "devices.market.added",
        "devices.device",
        str(device.pk),
    )
    assert changes_of(event) == {
        "market": [None, "gb"],
        "route": [None, "ukca"],
        "body": [None, "BSI UK (0086)"],
        "certificate": [None, None],
        "recognised_until": [None, None],
    }
    actions.remove_market(actor=cast.qa_lead, market=row, reason="Withdrawn from GB")
    assert changes_of(last_event()) == {"market": ["gb", None], "route": ["ukca", None]}
    assert DeviceMarket.objects.get(pk=row.pk).removed_at is not None


@pytest.mark.verifies("DEV-012")
def test_ce_recognised_in_gb_names_its_regime_and_date(cast, device):
    mdr = CeRecognition.objects.get(code="eu_mdr")
    actions.add_market(
        actor=cast.qa_lead, device=device, market="gb", route="ce_gb", recognition=mdr
    )
    assert changes_of(last_event())["recognised_until"] == [None, "2030-06-30"]


@pytest.mark.verifies("DEV-006")
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"market": "gb", "route": "ce"}, "route"),
        ({"market": "eu", "route": "ukca"}, "route"),
        ({"market": "us", "route": "ce"}, "market"),
        ({"market": "gb", "route": "ce_gb"}, "recognition"),
    ],
)
def test_a_route_the_market_does_not_accept_is_refused(cast, device, kwargs, field):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.add_market(actor=cast.qa_lead, device=device, **kwargs)
    assert field in refused.value.fields
    assert event_count() == before
    assert not DeviceMarket.objects.exists()


@pytest.mark.verifies("DEV-006")
def test_one_route_per_market(cast, device):
    actions.add_market(actor=cast.qa_lead, device=device, market="ni", route="ukni")
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.add_market(actor=cast.qa_lead, device=device, market="ni", route="ce")
    with pytest.raises(PermissionRefused):
        actions.add_market(actor=cast.author, device=device, market="eu", route="ce")
    assert event_count() == before
    assert DeviceMarket.objects.count() == 1


@pytest.mark.verifies("DEV-007")
def test_udis_are_added_and_removed(cast, device):
    udi = actions.add_udi(
        actor=cast.qa_lead, device=device, kind="basic", agency="gs1", code="50601234RC21A7"
    )
    assert changes_of(last_event()) == {"udi": [None, "basic gs1 50601234RC21A7"]}
    actions.add_udi(actor=cast.qa_lead, device=device, kind="di", agency="hibcc", code="+H123ABC")
    actions.remove_udi(actor=cast.qa_lead, udi=udi, reason="Typo")
    event = last_event()
    assert (event.action, event.reason) == ("devices.udi.removed", "Typo")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.remove_udi(actor=cast.qa_lead, udi=udi, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("DEV-007", refusal=True)
@pytest.mark.parametrize(
    ("kind", "agency", "code"),
    [
        ("di", "gs1", "05060123450018"),  # wrong check digit
        ("di", "gs1", "5060123"),  # too short
        ("di", "gs1", "0506012345001X"),
        ("basic", "gs1", "abc"),
        ("di", "hibcc", "   "),
        ("di", "nobody", "123"),
    ],
)
def test_a_malformed_udi_is_refused(cast, device, kind, agency, code):
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.add_udi(actor=cast.qa_lead, device=device, kind=kind, agency=agency, code=code)
    assert event_count() == before
    assert not DeviceUdi.objects.exists()


@pytest.mark.verifies("DEV-007", refusal=True)
def test_the_same_udi_twice_is_refused(cast, device):
    actions.add_udi(
        actor=cast.qa_lead, device=device, kind="di", agency="gs1", code="05060123450019"
    )
    before = event_count()
    with pytest.raises(InvalidInput):
        actions.add_udi(
            actor=cast.qa_lead, device=device, kind="di", agency="gs1", code="05060123450019"
        )
    assert event_count() == before


@pytest.mark.verifies("DEV-012")
def test_a_ce_recognition_date_is_changed_with_a_reason(cast):
    row = CeRecognition.objects.get(code="eu_mdd")
    actions.edit_recognition(
        actor=cast.qa_lead, recognition=row, until=row.until.replace(year=2029), reason="SI 2026/1"
    )
    event = last_event()
    assert event.action == "devices.recognition.edited"
    assert changes_of(event) == {"code": "eu_mdd", "until": ["2028-06-30", "2029-06-30"]}
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.edit_recognition(actor=cast.author, recognition=row, until=row.until, reason="x")
    assert event_count() == before
