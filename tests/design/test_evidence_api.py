"""Evidence over the API with a token: a JUnit file posted (multipart or raw XML) into an
open baseline, the runs listed in a constant number of queries, one run read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.design.actions.evidence import ingest_junit
from openqms.design.models import Baseline, BaselineState, TestRun
from openqms.testing import event_count, last_event
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites

BASE = "/api/v1/design"


def token_for(user):
    token = core_actions.create_api_token(actor=user, user=user, name="ci")[1]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def setup(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    test = item(cast, project, "TEST-1", "verification")
    return project, baseline, test


@pytest.mark.verifies("DES-023")
def test_ci_posts_a_file_as_multipart_and_gets_the_run_summary(client, cast, setup):
    project, _, _ = setup
    data = suites(case("test_TEST_1"), case("test_other", outcome="failed"))
    response = client.post(
        f"{BASE}/projects/{project.pk}/evidence/junit?baseline=release%201.0&commit=abc",
        {"file": SimpleUploadedFile("ci.xml", data, "application/xml"), "build": "42"},
        headers=token_for(cast.author),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["file_name"], body["commit"], body["build"]) == ("ci.xml", "abc", "42")
    assert (body["cases"], body["passed"], body["failed"], body["unlinked"]) == (2, 1, 1, 1)
    assert last_event().action == "design.evidence.ingested"


@pytest.mark.verifies("DES-023")
def test_ci_posts_raw_xml(client, cast, setup):
    project, _, _ = setup
    response = client.post(
        f"{BASE}/projects/{project.pk}/evidence/junit?baseline=release%201.0&file_name=r.xml",
        suites(case("TEST-1")),
        content_type="application/xml",
        headers=token_for(cast.author),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["file_name"], response.json()["linked"]) == ("r.xml", 1)


@pytest.mark.verifies("DES-022", refusal=True)
@pytest.mark.parametrize(
    ("query", "data", "status", "code"),
    [
        ("baseline=release%201.0", b"<testsuite><testcase>", 422, "invalid_input"),
        ("baseline=nope", b"<testsuite/>", 422, "invalid_input"),
        ("commit=abc", b"<testsuite/>", 422, "invalid_input"),
    ],
)
def test_a_refused_post_writes_nothing(client, cast, setup, query, data, status, code):
    project, _, _ = setup
    headers = token_for(cast.author)
    before = event_count()
    response = client.post(
        f"{BASE}/projects/{project.pk}/evidence/junit?{query}",
        data,
        content_type="application/xml",
        headers=headers,
    )
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (TestRun.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", "DES-007", refusal=True)
def test_someone_without_edit_is_refused_and_an_outsider_sees_nothing(client, cast, setup):
    project, _, _ = setup
    url = f"{BASE}/projects/{project.pk}/evidence/junit?baseline=release%201.0"
    auditor_token, outsider_token = token_for(cast.auditor), token_for(cast.outsider)
    before = event_count()
    auditor = client.post(url, suites(), content_type="application/xml", headers=auditor_token)
    outsider = client.get(f"{BASE}/projects/{project.pk}/evidence/runs", headers=outsider_token)
    assert (auditor.status_code, outsider.status_code) == (403, 404)
    assert (TestRun.objects.count(), event_count()) == (0, before)


def _ingest(cast, baseline, n):
    for i in range(n):
        ingest_junit(
            actor=cast.author,
            baseline=baseline,
            data=suites(case("test_TEST_1"), case(f"helper_{i}")),
            file_name=f"r{i}.xml",
        )


@pytest.mark.verifies("DES-044")
def test_runs_list_and_one_run_read_in_constant_queries(client, cast, setup):
    project, baseline, test = setup
    headers = token_for(cast.auditor)
    client.get(f"{BASE}/projects/{project.pk}/evidence/runs", headers=headers)  # warm up
    counts = []
    for n in (1, 4):
        _ingest(cast, baseline, n)
        with CaptureQueriesContext(connection) as q:
            listed = client.get(f"{BASE}/projects/{project.pk}/evidence/runs", headers=headers)
        counts.append(len(q))
    assert counts[0] == counts[1]
    assert listed.json()["count"] == 5
    run_id = listed.json()["items"][0]["id"]
    one = client.get(f"{BASE}/evidence/runs/{run_id}", headers=headers).json()
    assert one["results_count"] == 2
    assert one["results"][0] == {
        "id": one["results"][0]["id"],
        "case": "tests.test_rhythm.test_TEST_1",
        "outcome": "passed",
        "duration": 0.25,
        "message": "",
        "item_id": test.pk,
        "item_uid": "TEST-1",
        "item_version": 1,
        "stale": False,
    }
    assert one["results"][1]["item_id"] is None


@pytest.mark.verifies("DES-022", refusal=True)
def test_a_signed_baseline_is_refused_with_409(client, cast, setup):
    project, baseline, _ = setup
    Baseline.objects.filter(pk=baseline.pk).update(state=BaselineState.SIGNED)
    headers = token_for(cast.author)
    before = event_count()
    response = client.post(
        f"{BASE}/projects/{project.pk}/evidence/junit?baseline=release%201.0",
        suites(case("test_TEST_1")),
        content_type="application/xml",
        headers=headers,
    )
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert "open baseline" in response.json()["message"]
    assert (TestRun.objects.count(), event_count()) == (0, before)
