"""What an operational qualification (OQ) run produced: the shape the OQ runner
(`validation.oq`) returns and the report (`validation.report`) reads.

One `TestOutcome` per test the run executed or skipped, carrying the requirement IDs its
`@pytest.mark.verifies` marker names; `OqRun` holds them with where and how the run
happened. Both turn into plain dicts for the report's JSON and back again, so a signed
report's JSON can be compared with a new run (the delta after an upgrade).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"
OUTCOMES = (PASSED, FAILED, SKIPPED, ERROR)
# Beside a process's results file, the tests it collected (validation.oq_plugin writes it
# before the first test runs; validation.oq reports any that never reported).
COLLECTED_SUFFIX = ".collected"


@dataclass(frozen=True)
class TestOutcome:
    """One test of the operational test set, as it ran."""

    __test__ = False  # not a pytest test class, whatever its name

    nodeid: str  # "tests/documents/test_approve.py::test_an_approver_signs[pg]"
    requirements: tuple[str, ...]  # the IDs its verifies marker names
    refusal: bool  # the marker says it checks a refusal (a negative test)
    outcome: str  # one of OUTCOMES
    message: str = ""  # why it failed or was skipped ("" when it passed)
    seconds: float = 0.0
    source_sha256: str = ""  # SHA-256 of the test function's source: "test changed"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestOutcome:
        return cls(**{**data, "requirements": tuple(data["requirements"])})


@dataclass(frozen=True)
class OqRun:
    """An OQ run: the scratch database it used, the customer configuration it carried
    over, and every test's outcome."""

    engine: str  # "sqlite" or "postgresql": the same as the instance's
    scratch: str  # where the run's database and files were, in words
    suite_sha256: str  # one digest over every file of the test set that ran
    configuration: dict[str, Any]  # what of the instance's configuration the run used
    started_at: str
    finished_at: str
    command: tuple[str, ...]
    exit_code: int  # pytest's
    outcomes: tuple[TestOutcome, ...] = field(default_factory=tuple)
    problem: str = ""  # why the run could not run at all ("" when it ran)

    @property
    def passed(self) -> bool:
        return (
            not self.problem
            and self.exit_code == 0
            and bool(self.outcomes)
            and not any(o.outcome in (FAILED, ERROR) for o in self.outcomes)
        )

    def as_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["passed"] = self.passed
        return body

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OqRun:
        fields = {k: v for k, v in data.items() if k != "passed"}
        fields["command"] = tuple(fields["command"])
        fields["outcomes"] = tuple(TestOutcome.from_dict(o) for o in fields["outcomes"])
        return cls(**fields)
