"""JUnit XML into an open baseline: each case linked to the verification item it names,
counted, audited; refusals write nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.design.actions.evidence import ingest_junit
from openqms.design.models import BaselineState, TestResult, TestRun
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.design.evidence_setup import case, open_baseline, suites


@pytest.fixture
def baseline(cast, project):
    return open_baseline(project, cast.qa_lead)


def ingest(cast, baseline, data, **extra):
    return ingest_junit(
        actor=cast.author, baseline=baseline, data=data, file_name="ci.xml", **extra
    )


@pytest.mark.verifies("DES-020")
def test_a_case_naming_a_test_item_in_its_name_is_linked_at_the_items_version(
    cast, project, baseline
):
    test = item(cast, project, "TEST-12", "verification")
    run = ingest(cast, baseline, suites(case("test_TEST_12_alarm_sounds")))
    result = TestResult.objects.get(run=run)
    assert (result.item, result.item_version, result.outcome) == (test, 1, "passed")
    assert result.case == "tests.test_rhythm.test_TEST_12_alarm_sounds"
    assert (run.cases, run.linked, run.summary["unlinked"]) == (1, 1, 0)


@pytest.mark.verifies("DES-020")
def test_underscores_and_hyphens_name_the_same_id_but_only_as_a_whole_token(
    cast, project, baseline
):
    item(cast, project, "TEST-1", "verification")
    twelve = item(cast, project, "TEST-12", "verification")
    run = ingest(cast, baseline, suites(case("test_TEST-12"), case("test_TEST_123_other")))
    assert [r.item for r in run.results.order_by("pk")] == [twelve, None]


@pytest.mark.verifies("DES-020")
def test_lower_case_test_prefix_of_pytest_names_no_item(cast, project, baseline):
    item(cast, project, "TEST-12", "verification")
    run = ingest(cast, baseline, suites(case("test_12_cases_run")))
    assert (run.linked, run.summary["unlinked"]) == (0, 1)


@pytest.mark.verifies("DES-020")
def test_a_property_names_the_item_and_the_classname_is_searched_too(cast, project, baseline):
    val = item(cast, project, "VAL-3", "validation")
    test = item(cast, project, "TEST-7", "verification")
    run = ingest(
        cast,
        baseline,
        suites(
            case("test_usability", properties={"requirement": "VAL-3"}),
            case("test_it", classname="suite.TEST_7"),
        ),
    )
    assert [r.item for r in run.results.order_by("pk")] == [val, test]


@pytest.mark.verifies("DES-020")
def test_a_single_testsuite_root_is_read(cast, project, baseline):
    test = item(cast, project, "TEST-1", "verification")
    run = ingest(cast, baseline, suites(case("TEST-1 works", outcome="failed"), wrap=False))
    result = run.results.get()
    assert (result.item, result.outcome, result.message) == (test, "failed", "assert 3 == 4")


@pytest.mark.verifies("DES-020")
def test_unlinked_cases_are_kept_and_unknown_ids_reported(cast, project, baseline):
    item(cast, project, "TEST-1", "verification")
    item(cast, project, "REQ-1", "design_input")
    run = ingest(
        cast,
        baseline,
        suites(
            case("test_helpers"),
            case("test_TEST_99_missing", outcome="skipped"),
            case("test_prop", properties={"verifies": "REQ-1"}),
        ),
    )
    assert run.summary["unlinked"] == 3
    assert run.summary["unknown"] == [
        ["tests.test_rhythm.test_TEST_99_missing", "TEST-99"],
        ["tests.test_rhythm.test_prop", "REQ-1"],
    ]
    assert run.results.filter(item=None).count() == 3


@pytest.mark.verifies("DES-023")
def test_the_ingest_is_audited_with_its_counts(cast, project, baseline):
    item(cast, project, "TEST-1", "verification")
    item(cast, project, "TEST-2", "verification")
    data = suites(
        case("test_TEST_1"), case("test_TEST_2", outcome="error"), case("x", outcome="skipped")
    )
    run = ingest(cast, baseline, data, commit="abc123", build="ci#42")
    event = last_event()
    assert (event.action, event.object_id) == ("design.evidence.ingested", str(run.pk))
    assert changes_of(event) == {
        "baseline": [None, "release 1.0"],
        "file": [None, "ci.xml"],
        "sha256": [None, run.sha256],
        "commit": [None, "abc123"],
        "build": [None, "ci#42"],
        "cases": [None, 3],
        "passed": [None, 1],
        "failed": [None, 1],
        "skipped": [None, 1],
        "unlinked": [None, 1],
    }
    assert len(run.sha256) == 64


@pytest.mark.verifies("DES-022", refusal=True)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<testsuites><testsuite>\n<testcase name='a'>\n</testsuite>", "line 3"),
        (b"", "empty"),
        (b"<html><body/></html>", "not JUnit XML"),
        (b'<?xml version="1.0" encoding="klingon"?><testsuite/>', "unknown encoding"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<testsuite><testcase name='&b;'/></testsuite>",
            "DOCTYPE",
        ),
        (
            b'<!DOCTYPE t SYSTEM "file:///etc/passwd"><testsuite/>',
            "DOCTYPE",
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(cast, project, baseline, data, message):
    item(cast, project, "TEST-1", "verification")
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        ingest(cast, baseline, data)
    assert (TestRun.objects.count(), TestResult.objects.count(), event_count()) == (0, 0, before)


@pytest.mark.verifies("DES-022", refusal=True)
def test_a_file_over_the_size_limit_is_refused(cast, project, baseline, monkeypatch):
    monkeypatch.setattr("openqms.design.junit.MAX_BYTES", 100)
    before = event_count()
    with pytest.raises(InvalidInput, match="MB are read"):
        ingest(cast, baseline, suites(case("a"), case("b"), case("c")))
    assert (TestRun.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-022", refusal=True)
def test_a_signed_baseline_takes_no_evidence(cast, project):
    item(cast, project, "TEST-1", "verification")
    signed = open_baseline(project, cast.qa_lead, state=BaselineState.SIGNED)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="evidence goes into an open baseline"):
        ingest(cast, signed, suites(case("test_TEST_1")))
    assert (TestRun.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_ingest(cast, project, baseline):
    before = event_count()
    with pytest.raises(PermissionRefused):
        ingest_junit(actor=cast.auditor, baseline=baseline, data=suites(), file_name="ci.xml")
    assert (TestRun.objects.count(), event_count()) == (0, before)
