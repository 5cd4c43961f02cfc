"""The register's API: every record readable by everyone holding a role (404 for
someone with none), every change through
the actions (the same events as the pages), refusals with a stable code and nothing
written, and a list whose query count does not grow with the page."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.actions import create_api_token
from openqms.devices import actions
from openqms.devices.models import Device
from openqms.testing import changes_of, event_count, last_event

from .conftest import effective_document, make_device

NEW = {
    "family": "HR-SW",
    "name": "RhythmCheck",
    "model": "3.0",
    "intended_purpose": "Flags AF.",
    "device_class": "class_iia",
    "classification_rule": "Rule 11",
    "classification_justification": "Software.",
    "gmdn_code": "58264",
}


class Api:
    def __init__(self, client, user):
        self.client = client
        self.token = create_api_token(actor=user, user=user, name="tests")[1]

    def _h(self):
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/devices{path}", headers=self._h())

    def send(self, method, path, body):
        return getattr(self.client, method)(
            f"/api/v1/devices{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers=self._h(),
        )


@pytest.fixture
def qa_api(client, cast):
    return Api(client, cast.qa_lead)


@pytest.mark.verifies("DEV-019", "DEV-005")
def test_a_device_is_created_read_edited_and_stepped(cast, family, qa_api):
    created = qa_api.send("post", "/devices", NEW)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["obligation"].startswith("This class needs a periodic safety update")
    assert last_event().action == "devices.device.created"
    edited = qa_api.send("patch", f"/devices/{pk}", {"lifetime_years": 7, "reason": "Tested"})
    assert edited.json()["lifetime_years"] == 7
    assert changes_of(last_event()) == {"lifetime_years": [None, 7]}
    assert qa_api.send("post", f"/devices/{pk}/steps/place", {}).json()["state"] == "on_market"
    market = qa_api.send(
        "post",
        f"/devices/{pk}/markets",
        {"market": "gb", "route": "ce_gb", "recognition": "eu_mdr"},
    )
    assert market.status_code == 201
    assert market.json()["markets"][0]["recognised_until"] == "2030-06-30"
    udi = qa_api.send(
        "post", f"/devices/{pk}/udis", {"kind": "di", "agency": "gs1", "code": "05060123450019"}
    )
    udi_id = udi.json()["udis"][0]["id"]
    removed = qa_api.send("post", f"/devices/{pk}/udis/{udi_id}/remove", {"reason": "Typo"})
    assert removed.json()["udis"] == []
    registered = qa_api.send(
        "post", f"/devices/{pk}/registration", {"reference": "GB-1", "registered_on": "2026-01-05"}
    )
    assert registered.json()["mhra_reference"] == "GB-1"
    assert qa_api.get(f"/devices/{pk}").json()["registration_to_update"] is False


@pytest.mark.verifies("DEV-019", "DEV-011")
def test_files_and_classes_and_recognitions_are_readable(cast, family, client):
    sop = effective_document(cast, "Software release")
    api = Api(client, cast.qa_lead)
    added = api.send(
        "post", "/files/HR-SW/documents", {"section": "manufacturing", "document": sop.number}
    )
    assert added.status_code == 201
    reader = Api(client, cast.auditor)
    body = reader.get("/files/HR-SW").json()
    assert body["complete_sections"] == 1
    assert body["sections"][3]["documents"][0]["revision_in_force"] == "A"
    na = api.send(
        "post", "/files/HR-SW/sections/servicing/not-applicable", {"justification": "None."}
    )
    assert na.json()["complete_sections"] == 2
    assert {c["code"] for c in reader.get("/classes").json()} >= {"class_i", "ivd_list_a"}
    assert len(reader.get("/ce-recognition").json()) == 4


@pytest.mark.verifies("DEV-019")
@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("post", "/devices", {**NEW, "gmdn_code": "1"}, 422, "invalid_input"),
        ("post", "/devices", {**NEW, "family": "NOPE"}, 422, "invalid_input"),
        ("post", "/devices", {**NEW, "device_class": "class_x"}, 422, "invalid_input"),
        ("post", "/devices", {**NEW, "name": "bad\u0000"}, 422, "invalid_input"),
        ("post", "/devices/{pk}/steps/discontinue", {"reason": "x"}, 409, "transition_not_allowed"),
        ("post", "/devices/{pk}/markets", {"market": "gb", "route": "ce"}, 422, "invalid_input"),
        (
            "post",
            "/devices/{pk}/udis",
            {"kind": "di", "agency": "gs1", "code": "1"},
            422,
            "invalid_input",
        ),
        (
            "post",
            "/devices/999/udis",
            {"kind": "di", "agency": "gs1", "code": "1"},
            404,
            "not_found",
        ),
        (
            "post",
            "/files/HR-SW/documents",
            {"section": "labels", "document": "NOPE"},
            422,
            "invalid_input",
        ),
        (
            "post",
            "/files/NOPE/documents",
            {"section": "labels", "document": "NOPE"},
            404,
            "not_found",
        ),
    ],
)
def test_bad_requests_get_a_stable_code_and_write_nothing(
    cast, device, qa_api, method, path, body, status, code
):
    before = event_count()
    response = qa_api.send(method, path.format(pk=device.pk), body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert event_count() == before
    assert Device.objects.count() == 1


@pytest.mark.verifies("DEV-003", refusal=True)
def test_someone_without_the_permission_is_refused(cast, device, client):
    api = Api(client, cast.author)
    before = event_count()
    response = api.send("patch", f"/devices/{device.pk}", {"name": "Mine"})
    assert (response.status_code, response.json()["code"]) == (403, "permission_refused")
    response = api.send("post", "/devices", NEW)
    assert response.status_code == 403
    assert event_count() == before


@pytest.mark.verifies("DEV-022")
def test_the_list_takes_a_constant_number_of_queries(cast, family, qa_api):
    make_device(cast, family, name="A")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert qa_api.get("/devices?limit=50").status_code == 200
        return len(captured)

    count()  # the token's first use is recorded once
    few = count()
    for i in range(4):
        d = make_device(cast, family, name=f"B{i}")
        actions.add_market(actor=cast.qa_lead, device=d, market="gb", route="ukca")
    assert count() == few
    assert qa_api.get("/devices?limit=2").json()["count"] == 5
