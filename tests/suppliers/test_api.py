"""Supplier control over the API: every record listed, read, created and changed through
the actions; the decision signed with the password in the body."""

import datetime as dt
import json

import pytest

from openqms.core import actions as core_actions
from openqms.suppliers.models import Supplier
from openqms.testing import PASSWORD, event_count

from .conftest import all_scores, supplier_fields, today


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/suppliers{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/suppliers{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def qa(client, cast):
    return Api(client, cast.qa_lead)


def _evaluation_body():
    return {
        "scores": {code: {"score": s, "comment": c} for code, (s, c) in all_scores().items()},
        "recommendation": "approved",
        "summary": "Good",
    }


@pytest.mark.verifies("SUP-024")
def test_a_supplier_is_created_evaluated_and_decided_over_the_api(client, cast, qa):
    made = qa.send("post", "/suppliers", supplier_fields())
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    evaluation = qa.send("post", f"/suppliers/{pk}/evaluations", _evaluation_body())
    assert evaluation.status_code == 201, evaluation.content
    body = evaluation.json()
    manager = Api(client, cast.manager)
    decided = manager.send(
        "post",
        f"/evaluations/{body['id']}/decide",
        {"decision": "approved", "password": PASSWORD, "content_hash": body["content_hash"]},
    )
    assert decided.status_code == 200, decided.content
    decision = decided.json()["decision"]
    assert (decision["decision"], decision["signatures"][0]["printed_name"]) == (
        "approved",
        "Mia Manager",
    )
    assert qa.get(f"/suppliers/{pk}").json()["status"] == "approved"


@pytest.mark.verifies("SUP-024")
def test_the_supplier_list_is_paged(cast, qa):
    for n in range(3):
        qa.send("post", "/suppliers", supplier_fields(name=f"S{n}"))
    page = qa.get("/suppliers", limit=2).json()
    assert [s["name"] for s in page["items"]] == ["S0", "S1"] and page["next_offset"] == 2


@pytest.mark.verifies("SUP-024")
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(cast, qa):
    before = event_count()
    response = qa.send("post", "/suppliers", supplier_fields(criticality="huge"))
    assert response.status_code == 422
    assert (response.json()["code"], list(response.json()["fields"])) == (
        "invalid_input",
        ["criticality"],
    )
    assert not Supplier.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-024", "SUP-003", refusal=True)
def test_refusals_have_stable_codes(client, cast, qa):
    pk = qa.send("post", "/suppliers", supplier_fields()).json()["id"]
    author = Api(client, cast.author)
    assert author.send("post", "/suppliers", supplier_fields(name="X")).json()["code"] == (
        "permission_refused"
    )
    assert author.send("patch", f"/suppliers/{pk}", {"name": "Y"}).status_code == 404
    assert qa.get("/suppliers/999").status_code == 404
    evaluation = qa.send("post", f"/suppliers/{pk}/evaluations", _evaluation_body()).json()
    before = event_count()
    own = qa.send(
        "post",
        f"/evaluations/{evaluation['id']}/decide",
        {"decision": "approved", "password": PASSWORD, "content_hash": evaluation["content_hash"]},
    )
    assert (own.status_code, own.json()["code"]) == (409, "transition_not_allowed")
    again = qa.send("post", f"/suppliers/{pk}/evaluations", _evaluation_body())
    assert (again.status_code, again.json()["code"]) == (409, "evaluation_open")
    assert event_count() == before


@pytest.mark.verifies("SUP-024")
def test_certificates_performance_and_outsourced_processes_over_the_api(cast, qa):
    pk = qa.send("post", "/suppliers", supplier_fields()).json()["id"]
    expires = (today() + dt.timedelta(days=100)).isoformat()
    cert = qa.send(
        "post",
        f"/suppliers/{pk}/certificates",
        {"kind": "iso13485", "number": "MD1", "issuer": "BSI", "expires_on": expires},
    )
    assert cert.status_code == 201, cert.content
    perf = qa.send(
        "post",
        f"/suppliers/{pk}/performance",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "deliveries_total": 2,
            "deliveries_on_time": 1,
        },
    )
    assert perf.json()["on_time_rate"] == 50
    outsourced = qa.send(
        "post",
        "/outsourced",
        {"partner": pk, "title": "Firmware", "partner_certificate": cert.json()["id"]},
    )
    assert outsourced.status_code == 201, outsourced.content
    opk = outsourced.json()["id"]
    qa.send(
        "post", f"/outsourced/{opk}/activities", {"activity": "Coding", "governed_by": "partner"}
    )
    qa.send(
        "post", f"/outsourced/{opk}/duties", {"what": "changes", "days": 10, "direction": "to_us"}
    )
    read = qa.get(f"/outsourced/{opk}").json()
    assert (
        read["agreement_in_force"],
        read["activities"][0]["activity"],
        read["duties"][0]["days"],
    ) == (
        False,
        "Coding",
        10,
    )
    assert [c["number"] for c in qa.get(f"/suppliers/{pk}/certificates").json()] == ["MD1"]


@pytest.mark.verifies("SUP-024", "SUP-014")
def test_intervals_and_criteria_are_read_and_set_over_the_api(client, cast, qa):
    assert {c["code"] for c in qa.get("/criteria").json()} >= {"quality_system", "delivery"}
    assert {i["criticality"]: i["months"] for i in qa.get("/intervals").json()} == {
        "critical": 12,
        "major": 24,
        "minor": 36,
    }
    assert qa.send("put", "/intervals/minor", {"months": 48}).json()["months"] == 48
    refused = Api(client, cast.author).send("put", "/intervals/minor", {"months": 1})
    assert refused.json()["code"] == "permission_refused"
    wrong = qa.send("put", "/intervals/huge", {"months": 1})
    assert (wrong.status_code, list(wrong.json()["fields"])) == (422, ["criticality"])
