"""Software over the API: systems with their checklist, an SBOM posted as its JSON file,
the SOUP list paged at constant queries, the review signed with the content hash read
from GET, problem reports linked to a CAPA; an outsider meets 404."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.design.models import SbomImport, SoupItem
from openqms.events.actions.capa import raise_capa
from openqms.testing import PASSWORD, event_count, last_event
from tests.design.test_software_sbom import with_requirements
from tests.design.test_software_systems import device, make_system, system  # noqa: F401

FILES = Path(__file__).parent / "files"
FIRST = (FILES / "sbom-first.json").read_bytes()
SECOND = (FILES / "sbom-second.json").read_bytes()


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/design{path}", query, headers=self.headers)

    def post(self, path, body=None, raw=None):
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(
            f"/api/v1/design{path}", data, content_type="application/json", headers=self.headers
        )


@pytest.mark.verifies("DES-038")
def test_a_system_is_created_and_read_with_its_checklist(client, cast, device):  # noqa: F811
    api = Api(client, cast.author)
    answer = api.post(
        "/software-systems",
        {"device": device.pk, "name": "Analysis", "safety_class": "A", "justification": "x"},
    )
    assert answer.status_code == 201
    body = api.get(f"/software-systems/{answer.json()['id']}").json()
    assert len(body["checklist"]) == 8
    assert {r["state"] for r in body["checklist"]} == {"missing"}


@pytest.mark.verifies("DES-042")
def test_an_sbom_posted_twice_shows_the_diff(client, cast, system):  # noqa: F811
    api = Api(client, cast.author)
    assert api.post(f"/software-systems/{system.pk}/sbom", raw=FIRST).status_code == 201
    answer = api.post(f"/software-systems/{system.pk}/sbom?file_name=second.json", raw=SECOND)
    assert answer.status_code == 201
    summary = answer.json()["summary"]
    assert [u["name"] for u in summary["upgraded"]] == ["scipy"]
    assert [a["name"] for a in summary["added"]] == ["py-ecg-detectors"]
    assert [r["name"] for r in summary["removed"]] == ["openssl"]
    assert answer.json()["file_name"] == "second.json"
    listed = api.get(f"/software-systems/{system.pk}/sboms").json()["items"]
    assert [s["file_name"] for s in listed] == ["second.json", "sbom.json"]


@pytest.mark.verifies("DES-042")
def test_a_malformed_sbom_is_a_400_and_writes_nothing(client, cast, system):  # noqa: F811
    api = Api(client, cast.author)
    before = event_count()
    answer = api.post(f"/software-systems/{system.pk}/sbom", raw=b'{"bomFormat": "SPDX"}')
    assert answer.status_code in (400, 422)
    assert "CycloneDX" in answer.content.decode()
    assert (event_count(), SbomImport.objects.count()) == (before, 0)


@pytest.mark.verifies("DES-044")
def test_the_soup_list_pages_at_constant_queries(client, cast, system):  # noqa: F811
    api = Api(client, cast.auditor)
    Api(client, cast.author).post(f"/software-systems/{system.pk}/sbom", raw=FIRST)

    def queries(**query):
        with CaptureQueriesContext(connection) as seen:
            answer = api.get(f"/software-systems/{system.pk}/soup", **query)
        assert answer.status_code == 200
        return len(seen), answer.json()

    queries()
    few, page = queries(limit=2)
    many, whole = queries(limit=50)
    assert (len(page["items"]), page["next_offset"], len(whole["items"])) == (2, 2, 8)
    assert few == many
    assert len(queries(state="needs_review")[1]["items"]) == 8


@pytest.mark.verifies("DES-041")
def test_the_review_is_signed_with_the_content_hash(client, cast, system):  # noqa: F811
    Api(client, cast.author).post(f"/software-systems/{system.pk}/sbom", raw=FIRST)
    soup = with_requirements(cast, SoupItem.objects.get(system=system, name="numpy"))
    api = Api(client, cast.reviewer)
    shown = api.get(f"/soup/{soup.pk}").json()["content_sha256"]
    answer = api.post(
        f"/soup/{soup.pk}/review",
        {
            "password": PASSWORD,
            "content_hash": shown,
            "anomalies": "Read the 1.26.4 issues.",
            "conclusion": "None matters.",
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "reviewed" and len(answer.json()["signatures"]) == 1
    assert last_event().action == "design.soup.reviewed"


@pytest.mark.verifies("DES-040")
def test_a_problem_report_is_linked_to_a_capa(client, cast, system):  # noqa: F811
    capa = raise_capa(actor=cast.qa_lead, title="Missed", capa_type="corrective", problem="x")
    api = Api(client, cast.author)
    made = api.post(f"/software-systems/{system.pk}/problems", {"title": "T", "description": "D"})
    assert made.status_code == 201
    pk = made.json()["id"]
    assert api.post(f"/problems/{pk}/links", {"number": capa.number}).status_code == 201
    assert last_event().action == "core.link.added"
    answer = api.post(f"/problems/{pk}/investigate", {"investigation": "x", "change_needed": False})
    assert answer.json()["state"] == "investigated"


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404(client, cast, system):  # noqa: F811
    api = Api(client, cast.author)
    api.post(f"/software-systems/{system.pk}/sbom", raw=FIRST)
    soup = SoupItem.objects.filter(system=system).first()
    outsider = Api(client, cast.outsider)
    for path in (
        "/software-systems",
        f"/software-systems/{system.pk}",
        f"/software-systems/{system.pk}/soup",
        f"/soup/{soup.pk}",
    ):
        assert outsider.get(path).status_code == 404, path
    before = event_count()
    assert outsider.post(f"/software-systems/{system.pk}/sbom", raw=FIRST).status_code == 404
    assert event_count() == before


@pytest.mark.verifies("DES-038", "DES-039")
def test_evidence_and_items_are_recorded_over_the_api(client, cast, system):  # noqa: F811
    api = Api(client, cast.author)
    answer = api.post(
        f"/software-systems/{system.pk}/evidence", {"code": "architecture", "note": "SAD-3"}
    )
    rows = {r["code"]: r for r in answer.json()["checklist"]}
    assert (rows["architecture"]["state"], rows["architecture"]["evidence"]) == (
        "evidence given",
        "SAD-3",
    )
    assert last_event().action == "design.software.evidence"
    before = event_count()
    refused = api.post(f"/software-systems/{system.pk}/items", {"name": "X", "safety_class": "C"})
    assert refused.status_code in (400, 422) and event_count() == before
    made = api.post(f"/software-systems/{system.pk}/items", {"name": "X", "safety_class": "B"})
    assert made.status_code == 201
    assert [i["name"] for i in api.get(f"/software-systems/{system.pk}/items").json()] == ["X"]
