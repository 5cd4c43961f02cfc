"""Two items whose IDs differ only by "_" and "-" never get each other's evidence."""

import pytest

from openqms.design.actions.evidence import ingest_junit
from openqms.design.models import TestResult
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


@pytest.mark.verifies("DES-020")
def test_a_case_naming_two_items_by_one_normalised_id_links_neither(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    item(cast, project, "TEST-1", "verification")
    item(cast, project, "TEST_1", "verification")
    two = item(cast, project, "TEST-2", "verification")
    data = suites(case("test_TEST_1_alarm"), case("test_TEST_2_alarm"))
    run = ingest_junit(actor=cast.author, baseline=baseline, data=data, file_name="r.xml")
    linked = TestResult.objects.filter(run=run, item__isnull=False)
    assert list(linked.values_list("item_id", flat=True)) == [two.pk]
    assert (run.linked, run.summary["unlinked"]) == (1, 1)
    assert run.summary["unknown"] == [
        ["tests.test_rhythm.test_TEST_1_alarm", "TEST-1 (ambiguous: TEST-1, TEST_1)"]
    ]


@pytest.mark.verifies("DES-020")
def test_a_property_naming_the_exact_id_still_links_that_item(cast, project):
    baseline = open_baseline(project, cast.qa_lead)
    item(cast, project, "TEST-1", "verification")
    under = item(cast, project, "TEST_1", "verification")
    data = suites(case("test_alarm", properties={"item": "TEST_1"}))
    run = ingest_junit(actor=cast.author, baseline=baseline, data=data, file_name="r.xml")
    assert list(TestResult.objects.filter(run=run).values_list("item_id", flat=True)) == [under.pk]
