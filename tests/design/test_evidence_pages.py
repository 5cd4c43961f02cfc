"""The test runs page and the run page: paged, a constant number of queries, results
with their items, outcomes and the stale marker; nothing for an outsider."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.design.actions import items as design
from openqms.design.actions.evidence import ingest_junit
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


@pytest.fixture
def baseline(cast, project):
    return open_baseline(project, cast.qa_lead)


def ingest(cast, baseline, *cases, name="ci.xml"):
    return ingest_junit(actor=cast.author, baseline=baseline, data=suites(*cases), file_name=name)


@pytest.mark.verifies("DES-044")
def test_the_runs_page_lists_runs_in_constant_queries(cast, project, baseline, signed_in):
    item(cast, project, "TEST-1", "verification")
    client = signed_in(cast.auditor)
    url = reverse("design:evidence_runs", args=[project.pk])
    client.get(url)
    counts = []
    for n in (1, 5):
        for i in range(n):
            ingest(cast, baseline, case("test_TEST_1"), name=f"run-{n}-{i}.xml")
        with CaptureQueriesContext(connection) as q:
            response = client.get(url)
        counts.append(len(q))
    assert counts[0] == counts[1]
    assert response.status_code == 200
    assert "run-5-4.xml" in response.content.decode()


@pytest.mark.verifies("DES-023")
def test_the_run_page_shows_items_outcomes_stale_results_and_unlinked_cases(
    cast, project, baseline, signed_in
):
    test = item(cast, project, "TEST-1", "verification")
    run = ingest(
        cast,
        baseline,
        case("test_TEST_1", outcome="failed"),
        case("test_helper"),
        case("test_TEST_77"),
    )
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="New steps."
    )
    page = signed_in(cast.auditor).get(reverse("design:evidence_run", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="{test.get_absolute_url()}">TEST-1</a> v1 <strong>stale</strong> (now v2)' in html
    assert "failed" in html and "no item" in html
    assert "<code>TEST-77</code> in tests.test_rhythm.test_TEST_77" in html
    only = signed_in(cast.auditor).get(
        reverse("design:evidence_run", args=[run.pk]), {"show": "unlinked"}
    )
    assert "test_TEST_1<" not in only.content.decode()


@pytest.mark.verifies("DES-044")
def test_the_run_page_reads_in_constant_queries(cast, project, baseline, signed_in):
    item(cast, project, "TEST-1", "verification")
    client = signed_in(cast.auditor)
    counts = []
    for n in (1, 20):
        run = ingest(cast, baseline, *[case(f"test_TEST_1_{i}") for i in range(n)])
        url = reverse("design:evidence_run", args=[run.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        counts.append(len(q))
    assert counts[0] == counts[1]


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_gets_404(cast, project, baseline, signed_in):
    run = ingest(cast, baseline, case("x"))
    client = signed_in(cast.outsider)
    assert client.get(reverse("design:evidence_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("design:evidence_runs", args=[project.pk])).status_code == 404
