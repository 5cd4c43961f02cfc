"""Made-up OQ runs and IQ results for the report's tests (until OQ runs for real there,
the report is built from values like these)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.requirements import Requirement, Risk
from openqms.validation.compose import compose
from openqms.validation.iq import Check
from openqms.validation.results import FAILED, PASSED, SKIPPED, OqRun, TestOutcome

STARTED = "2026-11-30T09:00:00+00:00"
FINISHED = "2026-11-30T09:10:00+00:00"
DECLARED = {
    "alpha": (
        Requirement("ALP-001", "Alpha signs.", ("21 CFR 11.50",), Risk.HIGH),
        Requirement("ALP-002", "Alpha lists.", ("ISO 13485 4.2.4",), Risk.LOW),
    ),
    "beta": (Requirement("BET-001", "Beta counts.", ("Annex 11 9",), Risk.MEDIUM),),
}
ENVIRONMENT = {"openqms": "1.0.0", "database": "sqlite", "host": "qms1"}


def outcome(nodeid: str, outcome: str = PASSED, *ids: str, **extra) -> TestOutcome:
    return TestOutcome(
        nodeid=nodeid,
        requirements=ids,
        refusal=extra.pop("refusal", False),
        outcome=outcome,
        source_sha256=extra.pop("sha", "a" * 64),
        **extra,
    )


def oq_run(*outcomes: TestOutcome, exit_code: int | None = None, problem: str = "") -> OqRun:
    failing = any(o.outcome not in (PASSED, SKIPPED) for o in outcomes)
    return OqRun(
        engine="sqlite",
        scratch="a copy in /tmp/oq-1",
        suite_sha256="b" * 64,
        configuration={"document_types": 3},
        started_at=STARTED,
        finished_at=FINISHED,
        command=("pytest", "-q"),
        exit_code=(1 if failing else 0) if exit_code is None else exit_code,
        outcomes=outcomes,
        problem=problem,
    )


def passing_run() -> OqRun:
    return oq_run(
        outcome("tests/a.py::test_signs", PASSED, "ALP-001"),
        outcome("tests/a.py::test_refuses", PASSED, "ALP-001", refusal=True),
        outcome("tests/a.py::test_lists", PASSED, "ALP-002"),
        outcome("tests/b.py::test_counts", PASSED, "BET-001"),
    )


def failing_run() -> OqRun:
    return oq_run(
        outcome("tests/a.py::test_signs", PASSED, "ALP-001"),
        outcome("tests/a.py::test_refuses", FAILED, "ALP-001", refusal=True, message="boom"),
        outcome("tests/a.py::test_lists", SKIPPED, "ALP-002", message="no PostgreSQL"),
    )


def iq_checks(*, passed: bool = True) -> list[Check]:
    return [
        Check("IQ-01", "Version", "1.0.0", "1.0.0", True),
        Check(
            "IQ-07",
            "Triggers",
            "all",
            "all" if passed else "one missing",
            passed,
            "" if passed else "trigger core_auditevent_no_update is missing",
        ),
    ]


def now_iso() -> str:
    return timezone.now().astimezone(dt.UTC).isoformat()


def store(oq: OqRun | None = None, *, checks: list[Check] | None = None):
    """A report stored as `openqms validate` stores it, OQ being `oq`."""
    composed = compose(
        started=timezone.now(),
        checks=iq_checks() if checks is None else checks,
        run_oq=lambda: oq or passing_run(),
    )
    return composed.store()
