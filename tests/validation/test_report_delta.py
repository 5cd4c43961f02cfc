"""The delta against the last approved report: requirements, tests, results, version."""

import copy

import pytest

from openqms.core.requirements import Requirement, Risk
from openqms.validation import delta, verdicts

from .oq_runs import (
    DECLARED,
    ENVIRONMENT,
    FINISHED,
    STARTED,
    iq_checks,
    oq_run,
    outcome,
    passing_run,
)


def body_of(oq, declared=DECLARED, version="1.0.0"):
    return verdicts.build(
        environment={**ENVIRONMENT, "openqms": version},
        started_at=STARTED,
        finished_at=FINISHED,
        checks=iq_checks(),
        oq=oq,
        declared=declared,
        delta=None,
        upgrades=[],
    )


@pytest.mark.verifies("VAL-027")
def test_the_same_report_twice_has_an_empty_delta():
    before = body_of(passing_run())

    found = delta.compare(before, copy.deepcopy(before), against="VR-2026-0001")

    assert delta.is_empty(found)
    assert found["against"] == "VR-2026-0001"


@pytest.mark.verifies("VAL-027")
def test_added_removed_and_changed_requirements_tests_and_results_are_listed():
    before = body_of(passing_run(), version="1.0.0")
    declared = {
        "alpha": (
            Requirement("ALP-001", "Alpha signs, twice.", ("21 CFR 11.50",), Risk.HIGH),
            Requirement("ALP-003", "Alpha exports.", ("ISO 13485 4.2.5",), Risk.MEDIUM),
        ),
        "beta": (Requirement("BET-001", "Beta counts.", ("Annex 11 9", "x"), Risk.HIGH),),
    }
    after = body_of(
        oq_run(
            outcome("tests/a.py::test_signs", "passed", "ALP-001", sha="c" * 64),
            outcome("tests/a.py::test_refuses", "failed", "ALP-001", refusal=True),
            outcome("tests/a.py::test_exports", "passed", "ALP-003"),
            outcome("tests/b.py::test_counts", "passed", "BET-001"),
        ),
        declared=declared,
        version="1.1.0",
    )

    found = delta.compare(before, after, against="VR-2026-0001")

    assert found == {
        "against": "VR-2026-0001",
        "version": {"before": "1.0.0", "after": "1.1.0"},
        "requirements": {
            "added": ["ALP-003"],
            "removed": ["ALP-002"],
            "changed": [
                {"id": "ALP-001", "fields": {"statement": ["Alpha signs.", "Alpha signs, twice."]}},
                {
                    "id": "BET-001",
                    "fields": {
                        "risk": ["medium", "high"],
                        "clauses": [["Annex 11 9"], ["Annex 11 9", "x"]],
                    },
                },
            ],
        },
        "tests": {
            "added": ["tests/a.py::test_exports"],
            "removed": ["tests/a.py::test_lists"],
            "changed": ["tests/a.py::test_signs"],
        },
        "results": [{"test": "tests/a.py::test_refuses", "before": "passed", "after": "failed"}],
        "verdicts": [{"id": "ALP-001", "before": "verified", "after": "failed"}],
    }
    assert not delta.is_empty(found)
