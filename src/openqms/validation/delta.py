"""What changed since the last approved validation report: the version, requirements
added, removed or changed (statement, risk, clauses), tests added, removed or changed
(by the SHA-256 of their source), and results that changed. Both sides are the reports'
JSON bodies (validation.verdicts), so a report signed years ago compares as it was."""

from __future__ import annotations

from typing import Any

COMPARED = ("statement", "risk", "clauses")


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def _requirements(before: dict[str, dict], after: dict[str, dict]) -> dict[str, list]:
    changed = []
    for rid in sorted(before.keys() & after.keys()):
        fields = {
            name: [before[rid][name], after[rid][name]]
            for name in COMPARED
            if before[rid][name] != after[rid][name]
        }
        if fields:
            changed.append({"id": rid, "fields": fields})
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": changed,
    }


def compare(previous: dict[str, Any], current: dict[str, Any], *, against: str) -> dict[str, Any]:
    """The delta from `previous` (the approved report numbered `against`) to `current`."""
    reqs_before = _by(previous["requirements"], "id")
    reqs_after = _by(current["requirements"], "id")
    tests_before = _by(previous["oq"]["outcomes"], "nodeid")
    tests_after = _by(current["oq"]["outcomes"], "nodeid")
    both = sorted(tests_before.keys() & tests_after.keys())
    return {
        "against": against,
        "version": {
            "before": previous["environment"]["openqms"],
            "after": current["environment"]["openqms"],
        },
        "requirements": _requirements(reqs_before, reqs_after),
        "tests": {
            "added": sorted(tests_after.keys() - tests_before.keys()),
            "removed": sorted(tests_before.keys() - tests_after.keys()),
            "changed": [
                t
                for t in both
                if tests_before[t]["source_sha256"] != tests_after[t]["source_sha256"]
            ],
        },
        "results": [
            {"test": t, "before": tests_before[t]["outcome"], "after": tests_after[t]["outcome"]}
            for t in both
            if tests_before[t]["outcome"] != tests_after[t]["outcome"]
        ],
        "verdicts": [
            {"id": r, "before": reqs_before[r]["verdict"], "after": reqs_after[r]["verdict"]}
            for r in sorted(reqs_before.keys() & reqs_after.keys())
            if reqs_before[r]["verdict"] != reqs_after[r]["verdict"]
        ],
    }


def is_empty(delta: dict[str, Any]) -> bool:
    return (
        delta["version"]["before"] == delta["version"]["after"]
        and not any(delta["requirements"].values())
        and not any(delta["tests"].values())
        and not delta["results"]
        and not delta["verdicts"]
    )
