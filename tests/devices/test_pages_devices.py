"""The register's pages: everyone signed in reads them; changes are for who keeps the
register (a message otherwise, nothing written); the list pages take a constant number
of queries however many devices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.devices import actions
from openqms.devices.models import Device, DeviceClass, DeviceMarket, DeviceUdi, FileEntry
from openqms.testing import changes_of, event_count, last_event

from .conftest import effective_document, make_device


@pytest.mark.verifies("DEV-004", refusal=True)
def test_everyone_with_a_role_reads_the_register_and_an_outsider_meets_404(cast, device, signed_in):
    for url in (
        "/devices/",
        f"/devices/{device.pk}/",
        "/devices/files/",
        "/devices/families/HR-SW/",
        "/devices/ce-recognition/",
    ):
        assert signed_in(cast.outsider).get(url).status_code == 404, url
        assert signed_in(cast.auditor).get(url).status_code == 200, url
    client = signed_in(cast.auditor)
    page = client.get(f"/devices/{device.pk}/").content.decode()
    assert "This class needs a periodic safety update report (PSUR) every 2 years." in page
    assert f"/devices/{device.pk}/edit/" not in page
    assert "Add a market" not in page


@pytest.mark.verifies("DEV-011")
def test_the_class_iib_page_says_every_year(cast, family, signed_in):
    device = make_device(cast, family, device_class=DeviceClass.objects.get(code="class_iib"))
    page = signed_in(cast.auditor).get(f"/devices/{device.pk}/").content.decode()
    assert "PSUR) every year" in page


@pytest.mark.verifies("DEV-003", refusal=True)
def test_pages_that_change_the_register_are_404_for_others(cast, device, signed_in):
    client = signed_in(cast.author)
    assert client.get("/devices/new/").status_code == 404
    assert client.get(f"/devices/{device.pk}/edit/").status_code == 404
    assert signed_in(cast.qa_lead).get("/devices/999/").status_code == 404


@pytest.mark.verifies("DEV-001")
def test_a_qa_lead_adds_a_device_through_the_page(cast, family, iia, signed_in):
    response = signed_in(cast.qa_lead).post(
        "/devices/new/",
        {
            "family": family.pk,
            "name": "RhythmCheck",
            "model": "3.0",
            "intended_purpose": "Flags AF.",
            "device_class": iia.pk,
            "classification_rule": "Rule 11",
            "classification_justification": "Software.",
            "gmdn_code": "58264",
        },
    )
    device = Device.objects.get()
    assert response.status_code == 302 and response.url == f"/devices/{device.pk}/"
    assert last_event().action == "devices.device.created"


@pytest.mark.verifies("DEV-002")
def test_a_bad_gmdn_code_comes_back_on_the_form_naming_the_field(cast, family, iia, signed_in):
    before = event_count()
    response = signed_in(cast.qa_lead).post(
        "/devices/new/",
        {
            "family": family.pk,
            "name": "X",
            "intended_purpose": "Y",
            "device_class": iia.pk,
            "classification_rule": "Rule 11",
            "classification_justification": "Z",
            "gmdn_code": "12",
        },
    )
    assert response.status_code == 200
    assert "A GMDN code is 5 digits." in response.content.decode()
    assert event_count() == before


@pytest.mark.verifies("DEV-005")
def test_the_edit_page_changes_only_what_changed(cast, registered, signed_in):
    client = signed_in(cast.qa_lead)
    form = client.get(f"/devices/{registered.pk}/edit/").context["form"]
    data = {
        k: v.pk if hasattr(v, "pk") else ("" if v is None else v) for k, v in form.initial.items()
    }
    data.update(name="RhythmCheck X", reason="Renamed")
    response = client.post(f"/devices/{registered.pk}/edit/", data)
    assert response.status_code == 302
    device = Device.objects.get(pk=registered.pk)
    assert device.name == "RhythmCheck X" and device.registration_to_update
    assert set(changes_of(last_event())) == {"name", "registration_to_update"}


@pytest.mark.verifies("DEV-006", "DEV-007", "DEV-008")
def test_markets_udis_and_steps_through_the_page(cast, device, signed_in):
    client = signed_in(cast.qa_lead)
    client.post(f"/devices/{device.pk}/markets/", {"market": "gb", "route": "ukca"})
    client.post(
        f"/devices/{device.pk}/udis/", {"kind": "di", "agency": "gs1", "code": "05060123450019"}
    )
    client.post(f"/devices/{device.pk}/step/place/", {"on": "", "reason": ""})
    assert DeviceMarket.objects.filter(device=device).count() == 1
    assert DeviceUdi.objects.filter(device=device).count() == 1
    assert Device.objects.get(pk=device.pk).state == "on_market"
    before = event_count()
    response = signed_in(cast.author).post(
        f"/devices/{device.pk}/markets/", {"market": "eu", "route": "ce"}, follow=True
    )
    assert "You need the permission" in response.content.decode()
    assert event_count() == before


@pytest.mark.verifies("DEV-013")
def test_a_document_is_filed_through_the_family_page(cast, family, signed_in):
    sop = effective_document(cast, "Software release")
    client = signed_in(cast.qa_lead)
    client.post(
        "/devices/families/HR-SW/file/", {"section": "manufacturing", "document": sop.number}
    )
    assert FileEntry.objects.filter(family=family, document=sop).exists()
    page = client.get("/devices/families/HR-SW/").content.decode()
    assert "1 of 8 sections complete (12%)" in page
    before = event_count()
    response = client.post(
        "/devices/families/HR-SW/file/", {"section": "labels", "document": "NOPE-1"}, follow=True
    )
    assert "There is no document with this number that you may open." in response.content.decode()
    assert event_count() == before


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.verifies("DEV-022")
@pytest.mark.parametrize("url", ["/devices/", "/devices/files/", "/devices/families/HR-SW/"])
def test_list_pages_take_a_constant_number_of_queries(cast, family, signed_in, url):
    client = signed_in(cast.auditor)
    make_device(cast, family, name="A")
    few = _list_queries(client, url)
    for i in range(5):
        device = make_device(cast, family, name=f"B{i}")
        actions.add_market(actor=cast.qa_lead, device=device, market="gb", route="ukca")
    assert _list_queries(client, url) == few
