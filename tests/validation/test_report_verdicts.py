"""The report's body: requirement verdicts, counts and deviations, from a made-up OQ run."""

import pytest

from openqms.validation import verdicts
from openqms.validation.results import ERROR, FAILED, PASSED, SKIPPED

from .oq_runs import (
    DECLARED,
    ENVIRONMENT,
    FINISHED,
    STARTED,
    failing_run,
    iq_checks,
    oq_run,
    outcome,
    passing_run,
)


def build(oq, checks=None):
    return verdicts.build(
        environment=ENVIRONMENT,
        started_at=STARTED,
        finished_at=FINISHED,
        checks=iq_checks() if checks is None else checks,
        oq=oq,
        declared=DECLARED,
        delta=None,
        upgrades=[],
    )


@pytest.mark.verifies("VAL-025")
def test_a_requirement_is_verified_by_a_passed_test_and_no_failure():
    assert verdicts.verdict([PASSED]) == "verified"
    assert verdicts.verdict([PASSED, SKIPPED]) == "verified"


@pytest.mark.verifies("VAL-025", refusal=True)
def test_one_failed_or_erred_test_fails_a_requirement_however_many_passed():
    assert verdicts.verdict([PASSED, PASSED, FAILED]) == "failed"
    assert verdicts.verdict([PASSED, ERROR]) == "failed"


@pytest.mark.verifies("VAL-025", refusal=True)
def test_a_requirement_with_only_skipped_tests_or_none_is_not_run():
    assert verdicts.verdict([SKIPPED, SKIPPED]) == "not run"
    assert verdicts.verdict([]) == "not run"


@pytest.mark.verifies("VAL-026")
def test_the_body_of_a_passing_run_is_exactly_this():
    oq = passing_run()

    body = build(oq)

    assert body == {
        "format": "openqms-validation/1",
        "started_at": STARTED,
        "finished_at": FINISHED,
        "environment": ENVIRONMENT,
        "passed": True,
        "counts": {
            "requirements": 3,
            "verified": 3,
            "not_verified": 0,
            "not_run": 0,
            "tests": 4,
            "tests_passed": 4,
            "tests_failed": 0,
            "tests_skipped": 0,
            "tests_error": 0,
        },
        "iq": {
            "passed": True,
            "checks": [
                {
                    "id": "IQ-01",
                    "title": "Version",
                    "expected": "1.0.0",
                    "found": "1.0.0",
                    "passed": True,
                    "deviation": "",
                },
                {
                    "id": "IQ-07",
                    "title": "Triggers",
                    "expected": "all",
                    "found": "all",
                    "passed": True,
                    "deviation": "",
                },
            ],
        },
        "oq": oq.as_dict(),
        "requirements": [
            {
                "id": "ALP-001",
                "module": "alpha",
                "statement": "Alpha signs.",
                "clauses": ["21 CFR 11.50"],
                "risk": "high",
                "impacts": [],
                "verdict": "verified",
                "tests": [
                    {"nodeid": "tests/a.py::test_refuses", "refusal": True, "outcome": "passed"},
                    {"nodeid": "tests/a.py::test_signs", "refusal": False, "outcome": "passed"},
                ],
            },
            {
                "id": "ALP-002",
                "module": "alpha",
                "statement": "Alpha lists.",
                "clauses": ["ISO 13485 4.2.4"],
                "risk": "low",
                "impacts": [],
                "verdict": "verified",
                "tests": [
                    {"nodeid": "tests/a.py::test_lists", "refusal": False, "outcome": "passed"}
                ],
            },
            {
                "id": "BET-001",
                "module": "beta",
                "statement": "Beta counts.",
                "clauses": ["Annex 11 9"],
                "risk": "medium",
                "impacts": [],
                "verdict": "verified",
                "tests": [
                    {"nodeid": "tests/b.py::test_counts", "refusal": False, "outcome": "passed"}
                ],
            },
        ],
        "deviations": [],
        "upgrades": [],
        "delta": None,
    }
    assert body["oq"]["passed"] is True


@pytest.mark.verifies("VAL-025", "VAL-026", refusal=True)
def test_a_failing_run_lists_every_deviation_and_fails():
    body = build(failing_run(), checks=iq_checks(passed=False))

    assert body["passed"] is False
    assert [r["verdict"] for r in body["requirements"]] == ["failed", "not run", "not run"]
    assert body["deviations"] == [
        {
            "kind": "IQ check failed",
            "subject": "IQ-07",
            "detail": "Triggers: trigger core_auditevent_no_update is missing",
        },
        {"kind": "Test skipped", "subject": "tests/a.py::test_lists", "detail": "no PostgreSQL"},
        {"kind": "Test failed", "subject": "tests/a.py::test_refuses", "detail": "boom"},
        {"kind": "Requirement failed", "subject": "ALP-001", "detail": "Alpha signs."},
        {"kind": "Requirement not run", "subject": "ALP-002", "detail": "Alpha lists."},
        {"kind": "Requirement not run", "subject": "BET-001", "detail": "Beta counts."},
    ]
    assert body["counts"]["not_verified"] == 1
    assert body["counts"]["not_run"] == 2


@pytest.mark.verifies("VAL-025", refusal=True)
def test_an_oq_that_could_not_run_or_names_an_unknown_requirement_is_a_deviation():
    stopped = build(oq_run(problem="PostgreSQL refused the scratch database"))
    stray = build(oq_run(outcome("tests/c.py::test_x", PASSED, "ALP-001", "ZZZ-009")))

    assert stopped["passed"] is False
    assert stopped["deviations"][0] == {
        "kind": "OQ did not run",
        "subject": "OQ",
        "detail": "PostgreSQL refused the scratch database",
    }
    assert stray["deviations"][0] == {
        "kind": "Unknown requirement",
        "subject": "tests/c.py::test_x",
        "detail": "names ZZZ-009, which no module declares",
    }
