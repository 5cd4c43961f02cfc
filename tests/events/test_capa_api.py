"""CAPAs over the API: listed (a constant number of queries), raised, read, taken through
their steps and signed with the password and the content hash in the body."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.events.models import Capa
from openqms.testing import PASSWORD, event_count

from .capa_helpers import in_check, raised


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/events{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/events{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def qa(client, cast):
    return Api(client, cast.qa_lead)


def test_the_list_costs_the_same_queries_however_many_capas(client, cast):
    api = Api(client, cast.auditor)
    raised(cast)
    raised(cast)

    def queries():
        with CaptureQueriesContext(connection) as found:
            assert api.get("/capas", state="open", overdue=True).status_code == 200
            assert api.get("/capas").status_code == 200
        return len(found)

    queries()  # warm the per-process caches (the token's last use, roles)
    few = queries()
    for n in range(20):
        raised(cast, title=f"CAPA {n}")
    assert queries() == few
    assert len(api.get("/capas", limit=5).json()["items"]) == 5


@pytest.mark.verifies("EVT-032")
def test_a_capa_is_raised_and_read_over_the_api(qa, cast):
    made = qa.send(
        "post",
        "/capas",
        {
            "title": "API CAPA",
            "capa_type": "preventive",
            "problem": "P",
            "owner": "author",
            "references": [{"kind": "management_review", "reference": "MR 2026"}],
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["owner"] == "author" and body["references"][0]["reference"] == "MR 2026"
    assert qa.get(f"/capas/{body['id']}").json()["number"] == body["number"]


@pytest.mark.verifies("EVT-032")
def test_bad_input_over_the_api_names_the_field_and_writes_nothing(qa):
    before = event_count()
    response = qa.send("post", "/capas", {"title": "T", "capa_type": "both", "problem": "P"})
    assert response.status_code == 422
    assert "capa_type" in json.dumps(response.json())
    assert event_count() == before


@pytest.mark.verifies("EVT-033", "EVT-034", "EVT-035")
def test_the_steps_and_signatures_over_the_api(client, cast, qa):
    capa = in_check(cast)
    manager = Api(client, cast.manager)
    shown = manager.get(f"/capas/{capa.pk}").json()
    assert "effectiveness" in shown["steps"]
    signed = manager.send(
        "post",
        f"/capas/{capa.pk}/effectiveness",
        {
            "password": PASSWORD,
            "content_hash": shown["content_sha256"],
            "result": "effective",
            "evidence": "No complaints.",
        },
    )
    assert signed.status_code == 200, signed.content
    shown = qa.get(f"/capas/{capa.pk}").json()
    assert "close" in shown["steps"]
    closed = qa.send(
        "post",
        f"/capas/{capa.pk}/close",
        {"password": PASSWORD, "content_hash": shown["content_sha256"]},
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"


@pytest.mark.verifies("EVT-032")
def test_the_plan_over_the_api(qa, cast):
    capa = raised(cast)
    assert qa.send("post", f"/capas/{capa.pk}/steps/investigate").status_code == 200
    due = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    added = qa.send(
        "post", f"/capas/{capa.pk}/actions", {"description": "D", "owner": "author", "due": due}
    )
    assert added.status_code == 200 and added.json()["actions"][0]["owner"] == "author"
    refused = qa.send("post", f"/capas/{capa.pk}/steps/verify")
    assert refused.status_code == 409
    assert Capa.objects.get(pk=capa.pk).state == "investigating"


@pytest.mark.verifies("EVT-038", refusal=True)
def test_someone_with_no_role_meets_404(client, cast):
    capa = raised(cast)
    api = Api(client, cast.outsider)
    assert api.get("/capas").status_code == 404
    assert api.get(f"/capas/{capa.pk}").status_code == 404
