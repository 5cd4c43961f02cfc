"""One evidence verdict: the item pages (evidence_status) and the trace's "evidence"
rule agree when a run has several cases for one item."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.design import trace
from openqms.design.actions import items as design
from openqms.design.actions.evidence import ingest_junit
from openqms.design.evidence_status import status_of
from openqms.design.models import Gap
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


def ingest(cast, baseline, *cases):
    return ingest_junit(actor=cast.author, baseline=baseline, data=suites(*cases), file_name="r")


def evidence_gaps(project):
    return {r.item_id for r in trace.full_check(project.pk) if r.rule == "evidence"}


def stored_evidence_gaps(project):
    return set(
        Gap.objects.filter(project=project, rule="evidence").values_list("item_id", flat=True)
    )


@pytest.mark.verifies("DES-021")
def test_a_failure_and_a_pass_in_one_run_is_a_gap_and_failed(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    test = item(cast, project, "TEST-1", "verification")
    ingest(cast, baseline, case("test_TEST_1_a", outcome="failed"), case("test_TEST_1_b"))
    assert status_of([test.pk])[test.pk][0] == "failed"
    assert evidence_gaps(project) == stored_evidence_gaps(project) == {test.pk}


@pytest.mark.verifies("DES-021")
def test_a_pass_and_a_skip_in_one_run_is_passed_and_no_gap(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    test = item(cast, project, "TEST-1", "verification")
    ingest(cast, baseline, case("test_TEST_1_a"), case("test_TEST_1_b", outcome="skipped"))
    assert status_of([test.pk])[test.pk][0] == "passed"
    assert evidence_gaps(project) == stored_evidence_gaps(project) == set()


OUTCOME = st.sampled_from(["passed", "failed", "error", "skipped"])
RUNS = st.lists(st.lists(st.tuples(st.integers(0, 2), OUTCOME), max_size=4), max_size=3)


@pytest.mark.verifies("DES-021", "DES-010")
@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(runs=RUNS, edited=st.integers(0, 2))
def test_the_evidence_gaps_are_the_items_not_passed(cast, runs, edited):
    project = design.create_project(actor=cast.author, name=f"P{Gap.objects.count()}x")
    baseline = open_baseline(project, cast.qa_lead)
    tests = [item(cast, project, f"TEST-{n}", "verification") for n in range(3)]
    for cases in runs:
        if cases:
            ingest(
                cast,
                baseline,
                *[case(f"test_TEST_{n}_{i}", outcome=o) for i, (n, o) in enumerate(cases)],
            )
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=tests[edited], title="T", text_="Changed."
    )
    found = status_of([t.pk for t in tests])
    not_passed = {pk for pk, (status, _) in found.items() if status != "passed"}
    assert evidence_gaps(project) == stored_evidence_gaps(project) == not_passed
