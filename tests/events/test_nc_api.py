"""Nonconformities over the API: the same actions as the pages; the concession and the
release signed with the password and the content hash read from GET; lists filtered,
paged, at constant queries; an outsider meets 404."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.suppliers.models import PerformanceRecord
from openqms.testing import PASSWORD, event_count

from .nc_steps import make_supplier, raised


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/events{path}", query, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/v1/events{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def qa(client, cast):
    return Api(client, cast.qa_lead)


@pytest.mark.verifies("EVT-025", "EVT-026", "EVT-028")
def test_a_supplier_nonconformity_is_taken_to_release_over_the_api(client, cast, qa):
    supplier = make_supplier(cast)
    author = Api(client, cast.author)
    made = author.post(
        "/nonconformities",
        {
            "title": "Adhesive lot",
            "source": "incoming_goods",
            "supplier": supplier.pk,
            "description": "Weak.",
            "requirement": "IIS-012.",
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert qa.get(f"/nonconformities/{pk}").json()["steps"] == ["contain", "close_in_error"]
    steps = [
        ("contain", {"containment": "Quarantined."}),
        ("assess", {"impact": "Shorter wear.", "delivered_affected": False}),
        ("dispose", {"disposition": "use_as_is", "justification": "Fine for 24 h."}),
    ]
    for step, body in steps:
        answer = qa.post(f"/nonconformities/{pk}/{step}", body)
        assert answer.status_code == 200, answer.content
    manager = Api(client, cast.manager)
    shown = manager.get(f"/nonconformities/{pk}").json()
    assert "authorise_concession" in shown["steps"]
    signed = manager.post(
        f"/nonconformities/{pk}/concession",
        {"password": PASSWORD, "content_hash": shown["content_sha256"]},
    )
    assert signed.status_code == 200, signed.content
    shown = qa.get(f"/nonconformities/{pk}").json()
    released = qa.post(
        f"/nonconformities/{pk}/release",
        {"password": PASSWORD, "content_hash": shown["content_sha256"]},
    )
    assert released.status_code == 200, released.content
    assert released.json()["state"] == "closed"
    assert [s["meaning"] for s in released.json()["signatures"]] == [
        "nc_concession_authorised",
        "nc_released",
    ]
    assert PerformanceRecord.objects.get().supplier == supplier


@pytest.mark.verifies("EVT-028")
def test_a_refused_step_is_a_4xx_and_writes_nothing(cast, qa):
    nc = raised(cast)
    before = event_count()
    answer = qa.post(f"/nonconformities/{nc.pk}/dispose", {"disposition": "scrap"})
    assert answer.status_code == 409, answer.content
    bad = qa.post(f"/nonconformities/{nc.pk}/contain", {"containment": ""})
    assert bad.status_code in (400, 422) and event_count() == before


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404(client, cast):
    nc = raised(cast)
    outsider = Api(client, cast.outsider)
    assert outsider.get(f"/nonconformities/{nc.pk}").status_code == 404
    assert outsider.get("/nonconformities").status_code == 404


@pytest.mark.verifies("EVT-045")
def test_the_list_filters_pages_and_costs_the_same_queries(client, cast):
    auditor = Api(client, cast.auditor)
    supplier = make_supplier(cast)
    raised(cast, supplier=supplier)
    raised(cast, title="Process drift", source="process")

    def queries(**query):
        with CaptureQueriesContext(connection) as seen:
            answer = auditor.get("/nonconformities", **query)
        assert answer.status_code == 200
        return len(seen), answer.json()

    queries()  # the token's first use is recorded once
    few, page = queries()
    assert len(page["items"]) == 2
    assert len(queries(supplier=supplier.pk)[1]["items"]) == 1
    assert [i["title"] for i in queries(source="process")[1]["items"]] == ["Process drift"]
    for n in range(15):
        raised(cast, title=f"NC {n}")
    many, page = queries(limit=10)
    assert many == few and page["next_offset"] == 10


@pytest.mark.verifies("EVT-043")
@pytest.mark.parametrize("name", ["supplier", "device"])
@pytest.mark.parametrize("value", ["100000000000000000000", "0", "-1"])
def test_an_id_out_of_range_in_the_list_filters_is_a_422(client, cast, name, value):
    response = Api(client, cast.qa_lead).get(f"/nonconformities?{name}={value}")
    assert response.status_code == 422
    assert name in response.content.decode()


@pytest.mark.verifies("EVT-043")
def test_too_many_sources_are_refused(client, cast):
    response = Api(client, cast.author).post(
        "/nonconformities",
        {
            "title": "x",
            "source": "production",
            "description": "x",
            "requirement": "x",
            "sources": ["events.complaint:1"] * 21,
        },
    )
    assert response.status_code == 422


@pytest.mark.verifies("EVT-026", "EVT-028")
def test_the_disposition_is_changed_and_an_error_closed_over_the_api(client, cast, qa):
    from .nc_steps import disposed

    nc = disposed(cast, "use_as_is")
    changed = qa.post(f"/nonconformities/{nc.pk}/change-disposition", {"reason": "Refused."})
    assert changed.status_code == 200, changed.content
    assert changed.json()["state"] == "assessed" and changed.json()["disposition"] == ""
    manager = Api(client, cast.manager)
    shown = manager.get(f"/nonconformities/{nc.pk}").json()
    assert "close_in_error" in shown["steps"]
    closed = manager.post(
        f"/nonconformities/{nc.pk}/close-in-error",
        {"password": PASSWORD, "content_hash": shown["content_sha256"], "reason": "Wrong lot."},
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed" and closed.json()["raised_in_error"] is True
