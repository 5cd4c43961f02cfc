"""The process register over the API: the same actions and refusals as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.qms.models import Process
from openqms.testing import changes_of, event_count, last_event

from .process_helpers import KPI, Api, draft_document, make_process

BODY = {
    "code": "PR-05",
    "name": "Purchasing",
    "owner": "author",
    "purpose": "Buy well.",
    "risk": "high",
    "kpis": [{"name": "Suppliers evaluated", "target": "100%"}],
}


@pytest.mark.verifies("QMS-016")
def test_a_process_manager_creates_reads_edits_and_retires_a_process(cast, client):
    api = Api(client, cast.qa_lead)
    document = draft_document(cast).document
    created = api.send("post", "/processes", {**BODY, "documents": [document.number]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["owner"], body["documents"]) == (
        "PR-05",
        "author",
        [document.number],
    )
    assert body["kpis"] == [
        {"name": "Suppliers evaluated", "target": "100%", "method": "", "frequency": ""}
    ]
    pk = body["id"]
    make_process(cast, "PR-02", "CAPA")
    edited = api.send("put", f"/processes/{pk}", {**BODY, "feeds": ["PR-02"], "reason": "Link"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["feeds"] == ["PR-02"]
    assert changes_of(last_event()) == {
        "documents": [[document.number], []],
        "feeds": [[], ["PR-02"]],
    }
    capa = Process.objects.get(code="PR-02")
    assert api.get(f"/processes/{capa.pk}").json()["fed_by"] == ["PR-05"]
    retired = api.send("post", f"/processes/{pk}/retire", {"reason": "Outsourced now"})
    assert retired.status_code == 200
    assert retired.json()["retire_reason"] == "Outsourced now"
    assert [p["code"] for p in api.get("/processes").json()["items"]] == ["PR-02"]
    assert api.get("/processes", retired="true").json()["count"] == 2


@pytest.mark.verifies("QMS-016")
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner": "nobody"}, "owner"),
        ({"feeds": ["PR-99"]}, "feeds"),
        ({"documents": ["SOP-999"]}, "documents"),
        ({"code": "PR-01"}, "code"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_input_gets_a_422_naming_the_field_and_writes_nothing(cast, client, change, field):
    make_process(cast)
    api = Api(client, cast.qa_lead)
    before = event_count()
    response = api.send("post", "/processes", {**BODY, **change})
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert event_count() == before
    assert Process.objects.count() == 1


def test_a_process_cannot_feed_itself_over_the_api(cast, client):
    process = make_process(cast)
    api = Api(client, cast.qa_lead)
    before = event_count()
    body = {**BODY, "code": "PR-01", "feeds": ["PR-01"]}
    response = api.send("put", f"/processes/{process.pk}", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert event_count() == before


def test_readers_read_but_cannot_change(cast, client):
    process = make_process(cast)
    api = Api(client, cast.auditor)
    before = event_count()
    assert api.get(f"/processes/{process.pk}").status_code == 200
    assert api.send("post", "/processes", BODY).status_code == 404
    assert api.send("put", f"/processes/{process.pk}", BODY).status_code == 404
    assert api.send("post", f"/processes/{process.pk}/retire", {"reason": "x"}).status_code == 404
    assert api.get("/processes/999").status_code == 404
    assert event_count() == before


def test_the_map_comes_as_svg(cast, client):
    make_process(cast)
    response = Api(client, cast.trainee).get("/processes/map.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"PR-01" in response.content


def test_the_list_runs_a_constant_number_of_queries(cast, client):
    api = Api(client, cast.trainee)
    first = make_process(cast, "PR-00", "First", kpis=[KPI("One")])
    api.get("/processes")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/processes").status_code == 200
        return len(queries)

    few = count()
    for i in range(1, 10):
        make_process(cast, f"PR-{i:02}", f"P{i}", feeds=[first], kpis=[KPI("K")])
    assert count() == few


@pytest.mark.verifies("QMS-016")
def test_an_account_with_no_rights_meets_a_404(cast, client):
    process = make_process(cast)
    api = Api(client, cast.outsider)
    for path in ("/processes", f"/processes/{process.pk}", "/processes/map.svg"):
        assert api.get(path).status_code == 404, path
