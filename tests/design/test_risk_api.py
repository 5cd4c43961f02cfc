"""Risk files over the API: created, analysed, the matrix changed, the report signed with
the password and the content hash; 404 for someone without a role."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.design.models import RiskFile
from openqms.testing import PASSWORD, event_count
from tests.design.risk_helpers import device  # noqa: F401


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/design{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/design{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def made(client, cast, device):  # noqa: F811
    api = Api(client, cast.author)
    found = api.send("post", "/risk-files", {"device_id": device.pk})
    assert found.status_code == 201, found.content
    return found.json()


@pytest.mark.verifies("DES-033", "DES-035")
def test_a_risk_file_is_analysed_and_signed_over_the_api(client, cast, made):
    api, pk = Api(client, cast.author), made["id"]
    assert len(made["matrix"]) == 25 and made["ready_to_sign"] is False
    hazard = api.send("post", f"/risk-files/{pk}/hazards", {"title": "Missed AF"}).json()
    body = {"sequence": "s", "situation": "t", "harm": "Stroke", "severity": 4, "p1": 3, "p2": 2}
    found = api.send("post", f"/risk-hazards/{hazard['id']}/situations", body)
    assert found.status_code == 201
    situation = found.json()
    assert (situation["probability"], situation["region"]) == (2, "alarp")
    sid = situation["id"]
    residual = api.send(
        "post", f"/risk-situations/{sid}/residual", {"severity": 4, "probability": 1}
    )
    assert residual.json()["residual_region"] == "acceptable"
    control = api.send(
        "post", f"/risk-situations/{sid}/controls", {"kind": "inherent", "description": "Gate"}
    )
    assert control.json()["controls"][0]["kind"] == "inherent"
    assert api.send("post", f"/risk-situations/{sid}/evaluate", {}).status_code == 200
    api.send("patch", f"/risk-files/{pk}", {"overall_residual_risk": "Acceptable."})
    qa = Api(client, cast.qa_lead)
    shown = qa.get(f"/risk-files/{pk}").json()
    assert shown["ready_to_sign"] is True
    signed = qa.send(
        "post",
        f"/risk-files/{pk}/sign",
        {
            "password": PASSWORD,
            "content_hash": shown["content_sha256"],
            "conclusion": "Plan carried out.",
            "residual_acceptable": True,
            "plan_followed": True,
        },
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed"
    rows = api.get(f"/risk-files/{pk}/situations").json()
    assert rows["count"] == 1 and rows["items"][0]["evaluated_at"]


@pytest.mark.verifies("DES-032", refusal=True)
def test_the_matrix_is_changed_by_the_qa_lead_only(client, cast, made):
    pk, cell = made["id"], {"severity": 1, "probability": 1, "region": "alarp"}
    author = Api(client, cast.author)
    before = event_count()
    refused = author.send("put", f"/risk-files/{pk}/matrix", cell)
    assert refused.status_code == 403
    assert event_count() == before
    changed = Api(client, cast.qa_lead).send("put", f"/risk-files/{pk}/matrix", cell)
    assert changed.status_code == 200
    assert {"severity": 1, "probability": 1, "region": "alarp"} in changed.json()["matrix"]


@pytest.mark.verifies("DES-007", refusal=True)
def test_someone_without_a_role_meets_a_404(client, cast, made):
    assert Api(client, cast.outsider).get(f"/risk-files/{made['id']}").status_code in (401, 404)
    assert RiskFile.objects.count() == 1
