"""Where an item stands on evidence: the latest result in the current baseline, passed,
failed, stale after a new version of the item, or none."""

import pytest

from openqms.design.actions import items as design
from openqms.design.actions.evidence import ingest_junit
from openqms.design.evidence_status import status_of
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


def ingest(cast, baseline, *cases):
    return ingest_junit(actor=cast.author, baseline=baseline, data=suites(*cases), file_name="r")


@pytest.mark.verifies("DES-021")
def test_a_passing_result_then_a_new_item_version_makes_it_stale(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    test = item(cast, project, "TEST-1", "verification")
    run = ingest(cast, baseline, case("test_TEST_1"))
    status, result = status_of([test.pk])[test.pk]
    assert (status, result.run) == ("passed", run)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="Changed steps."
    )
    assert status_of([test.pk])[test.pk][0] == "stale"
    ingest(cast, baseline, case("test_TEST_1"))
    assert status_of([test.pk])[test.pk][0] == "passed"


@pytest.mark.verifies("DES-021")
def test_the_latest_run_decides_and_a_failure_in_it_fails_the_item(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    test = item(cast, project, "TEST-1", "verification")
    ingest(cast, baseline, case("test_TEST_1"))
    ingest(cast, baseline, case("test_TEST_1_a"), case("test_TEST_1_b", outcome="failed"))
    status, result = status_of([test.pk])[test.pk]
    assert (status, result.case) == ("failed", "tests.test_rhythm.test_TEST_1_b")


@pytest.mark.verifies("DES-021")
def test_no_result_a_skip_or_results_of_another_baseline_count_as_none(cast, project):
    old = open_baseline(project, cast.qa_lead, name="design freeze")
    one = item(cast, project, "TEST-1", "verification")
    two = item(cast, project, "TEST-2", "verification")
    three = item(cast, project, "TEST-3", "verification")
    ingest(cast, old, case("test_TEST_3"))
    current = open_baseline(project, cast.qa_lead)
    ingest(cast, current, case("test_TEST_2", outcome="skipped"))
    found = status_of([one.pk, two.pk, three.pk])
    assert [found[i.pk][0] for i in (one, two, three)] == ["none", "none", "none"]


@pytest.mark.verifies("DES-044")
def test_status_takes_two_queries_however_many_items(cast, project, django_assert_num_queries):
    baseline = open_baseline(project, cast.qa_lead)
    tests = [item(cast, project, f"TEST-{i}", "verification") for i in range(5)]
    ingest(cast, baseline, *[case(f"test_TEST_{i}") for i in range(5)])
    with django_assert_num_queries(2):
        found = status_of([t.pk for t in tests])
    assert {s for s, _ in found.values()} == {"passed"}
