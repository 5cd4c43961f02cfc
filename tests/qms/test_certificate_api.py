"""Certificates over the API: the same actions, errors with stable codes."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily
from openqms.testing import changes_of, event_count, last_event

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% api\n"


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/qms{path}", query, headers=self.headers)

    def send(self, method, path, body):
        return self.client.generic(
            method, f"/api/v1/qms{path}", json.dumps(body), "application/json", headers=self.headers
        )


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="Albion Conformity Assessment Ltd", number="0086")


@pytest.fixture
def family(db):
    return DeviceFamily.objects.create(code="HR-SW", name="Heart rhythm software")


def _in(body, **changes):
    return {
        "kind": "iso13485",
        "number": "QMS-1",
        "body_id": body.pk,
        "scope_text": "Cardiac software",
        "families": ["HR-SW"],
        "issued_on": (TODAY - dt.timedelta(days=1000)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=60)).isoformat(),
        **changes,
    }


def test_the_qa_lead_adds_edits_uploads_and_withdraws_a_certificate(client, cast, body, family):
    api = Api(client, cast.qa_lead)
    created = api.send("POST", "/certificates", _in(body))
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["number"], out["families"], out["state"]) == (
        "QMS-1",
        ["HR-SW"],
        "expires in 60 days",
    )
    pk = out["id"]
    edited = api.send(
        "PUT", f"/certificates/{pk}", _in(body, scope_text="All software", reason="x")
    )
    assert edited.json()["scope_text"] == "All software"
    assert changes_of(last_event()) == {"scope_text": ["Cardiac software", "All software"]}
    upload = SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")
    uploaded = client.post(
        f"/api/v1/qms/certificates/{pk}/file", {"file": upload}, headers=api.headers
    )
    assert uploaded.json()["file_sha256"] == Certificate.objects.get().file.sha256
    download = api.get(f"/certificates/{pk}/file")
    assert b"".join(download.streaming_content) == PDF
    withdrawn = api.send("POST", f"/certificates/{pk}/withdraw", {"reason": "Replaced"})
    assert (withdrawn.json()["state"], withdrawn.json()["withdrawn"]) == ("withdrawn", True)


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(client, cast, body, family):
    api = Api(client, cast.qa_lead)
    before = event_count()
    for bad, field in [
        (_in(body, expires_on=(TODAY - dt.timedelta(days=2000)).isoformat()), "expires_on"),
        (_in(body, families=["NOPE"]), "families"),
        (_in(body, body_id=None), "body_id"),
        (_in(body, number="A\x00"), "number"),
        (_in(body, kind="gold"), "kind"),
        (
            _in(body, next_surveillance=(TODAY + dt.timedelta(days=4000)).isoformat()),
            "next_surveillance",
        ),
        (
            _in(body, recertification_due=(TODAY + dt.timedelta(days=4000)).isoformat()),
            "recertification_due",
        ),
    ]:
        response = api.send("POST", "/certificates", bad)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid_input"
        assert field in response.json()["fields"]
    assert not Certificate.objects.exists() and event_count() == before


def test_a_reader_cannot_add_a_certificate(client, cast, body, family):
    api = Api(client, cast.trainee)
    before = event_count()
    response = api.send("POST", "/certificates", _in(body))
    assert response.status_code == 403
    assert not Certificate.objects.exists() and event_count() == before


def test_a_missing_certificate_is_a_404(client, cast):
    assert Api(client, cast.trainee).get("/certificates/12345").status_code == 404


def test_the_list_pages_with_constant_queries(client, cast, body, family):
    api = Api(client, cast.qa_lead)
    api.send("POST", "/certificates", _in(body, number="C-0"))
    api.get("/certificates")
    with CaptureQueriesContext(connection) as few:
        api.get("/certificates")
    for i in range(1, 12):
        api.send("POST", "/certificates", _in(body, number=f"C-{i}"))
    with CaptureQueriesContext(connection) as many:
        listed = api.get("/certificates", limit=5).json()
    assert len(many) == len(few)
    assert len(listed["items"]) == 5 and listed["next_offset"] == 5
