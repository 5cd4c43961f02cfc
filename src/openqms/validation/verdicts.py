"""The validation report's content (format "openqms-validation/1"): every requirement
with its tests and their results, the verdict on each requirement, the deviations, and
the counts. Plain data in, plain data out, so the JSON a QA lead signed can be read back
and compared with the next run (validation.delta).

A requirement is *verified* when at least one of its tests passed and none failed or
erred; *failed* when any of its tests failed or erred; *not run* when its tests were only
skipped or did not run at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openqms.core.requirements import Requirement
from openqms.validation.iq import Check, as_dicts
from openqms.validation.results import ERROR, FAILED, OUTCOMES, PASSED, SKIPPED, OqRun, TestOutcome

FORMAT = "openqms-validation/1"
VERIFIED, NOT_VERIFIED, NOT_RUN = "verified", "failed", "not run"


def verdict(outcomes: Sequence[str]) -> str:
    if any(o in (FAILED, ERROR) for o in outcomes):
        return NOT_VERIFIED
    if PASSED in outcomes:
        return VERIFIED
    return NOT_RUN


def requirement_rows(
    declared: Mapping[str, Sequence[Requirement]], outcomes: Sequence[TestOutcome]
) -> list[dict[str, Any]]:
    """One row per requirement, module by module: what it says and its tests' results."""
    tests: dict[str, list[TestOutcome]] = {}
    for o in outcomes:
        for rid in o.requirements:
            tests.setdefault(rid, []).append(o)
    rows = []
    for label, requirements in declared.items():
        for r in requirements:
            mine = sorted(tests.get(r.id, []), key=lambda o: o.nodeid)
            rows.append(
                {
                    "id": r.id,
                    "module": label,
                    "statement": r.statement,
                    "clauses": list(r.clauses),
                    "risk": str(r.risk),
                    "impacts": [str(i) for i in r.impacts],
                    "verdict": verdict([o.outcome for o in mine]),
                    "tests": [
                        {"nodeid": o.nodeid, "refusal": o.refusal, "outcome": o.outcome}
                        for o in mine
                    ],
                }
            )
    return rows


def deviations(
    checks: Sequence[Check], oq: OqRun, rows: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    """Everything a reviewer must look at: IQ failures, OQ not run, tests failed, erred or
    skipped (with the reason), tests naming unknown requirements, requirements not
    verified."""
    found = [
        {"kind": "IQ check failed", "subject": c.id, "detail": f"{c.title}: {c.deviation}"}
        for c in checks
        if not c.passed
    ]
    if oq.problem:
        found.append({"kind": "OQ did not run", "subject": "OQ", "detail": oq.problem})
    elif not oq.outcomes:
        found.append({"kind": "OQ did not run", "subject": "OQ", "detail": "no test ran"})
    elif oq.exit_code != 0 and not any(o.outcome in (FAILED, ERROR) for o in oq.outcomes):
        found.append(
            {"kind": "OQ failed", "subject": "OQ", "detail": f"pytest exited {oq.exit_code}"}
        )
    words = {FAILED: "Test failed", ERROR: "Test error", SKIPPED: "Test skipped"}
    for o in sorted(oq.outcomes, key=lambda o: o.nodeid):
        if o.outcome in words:
            found.append({"kind": words[o.outcome], "subject": o.nodeid, "detail": o.message})
    known = {row["id"] for row in rows}
    for o in sorted(oq.outcomes, key=lambda o: o.nodeid):
        unknown = sorted(set(o.requirements) - known)
        if unknown:
            found.append(
                {
                    "kind": "Unknown requirement",
                    "subject": o.nodeid,
                    "detail": f"names {', '.join(unknown)}, which no module declares",
                }
            )
    for row in rows:
        if row["verdict"] != VERIFIED:
            found.append(
                {
                    "kind": f"Requirement {row['verdict']}",
                    "subject": row["id"],
                    "detail": row["statement"],
                }
            )
    return found


def counts(oq: OqRun, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    tally = {outcome: 0 for outcome in OUTCOMES}
    for o in oq.outcomes:
        tally[o.outcome] += 1
    verdicts = [row["verdict"] for row in rows]
    return {
        "requirements": len(rows),
        "verified": verdicts.count(VERIFIED),
        "not_verified": verdicts.count(NOT_VERIFIED),
        "not_run": verdicts.count(NOT_RUN),
        "tests": len(oq.outcomes),
        **{f"tests_{k}": v for k, v in tally.items()},
    }


def build(
    *,
    environment: dict[str, str],
    started_at: str,
    finished_at: str,
    checks: Sequence[Check],
    oq: OqRun,
    declared: Mapping[str, Sequence[Requirement]],
    delta: dict[str, Any] | None,
    upgrades: list[dict[str, Any]],
) -> dict[str, Any]:
    """The whole report as plain data; `passed` only when IQ and OQ passed and every
    requirement is verified."""
    rows = requirement_rows(declared, oq.outcomes)
    tally = counts(oq, rows)
    iq_passed = bool(checks) and all(c.passed for c in checks)
    return {
        "format": FORMAT,
        "started_at": started_at,
        "finished_at": finished_at,
        "environment": environment,
        "passed": iq_passed and oq.passed and tally["verified"] == tally["requirements"],
        "counts": tally,
        "iq": {"passed": iq_passed, "checks": as_dicts(list(checks))},
        "oq": oq.as_dict(),
        "requirements": rows,
        "deviations": deviations(checks, oq, rows),
        "upgrades": upgrades,
        "delta": delta,
    }
