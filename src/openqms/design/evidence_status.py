"""Where each verification or validation item stands on evidence, for the item pages:
the latest result in its project's current baseline, and whether it still counts.

- "passed": the latest run that named the item passed every case naming it, at the
  item's current version;
- "failed": a case naming it failed or errored in that run;
- "stale": that run tested an earlier version of the item (ISO 13485 7.3.6: the
  verification must be of the design as it is; stale evidence does not count);
- "none": no result in the current baseline, or the latest run skipped it.

The trace's "evidence" gap rule reads the same TestResult rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from openqms.design.models import Item, Outcome, TestResult

Status = Literal["passed", "failed", "stale", "none"]


def status_of(item_ids: Iterable[int]) -> dict[int, tuple[Status, TestResult | None]]:
    """{item id: (status, the result it rests on or None)} for every id given: two
    queries however many items and results."""
    ids = list(item_ids)
    items = {
        pk: (version, baseline_id)
        for pk, version, baseline_id in Item.objects.filter(pk__in=ids).values_list(
            "pk", "version", "project__current_baseline_id"
        )
    }
    baselines = {b for _, b in items.values() if b is not None}
    latest: dict[int, list[TestResult]] = {}
    rows = (
        TestResult.objects.filter(item_id__in=list(items), run__baseline_id__in=baselines)
        .select_related("run")
        .order_by("item_id", "-run__ingested_at", "-run_id", "pk")
    )
    for result in rows:
        assert result.item_id is not None
        version_baseline = items[result.item_id][1]
        if result.run.baseline_id != version_baseline:
            continue
        mine = latest.setdefault(result.item_id, [])
        if not mine or mine[0].run_id == result.run_id:
            mine.append(result)
    out: dict[int, tuple[Status, TestResult | None]] = {}
    for pk in ids:
        results = latest.get(pk, [])
        out[pk] = _verdict(items[pk][0], results) if pk in items else ("none", None)
    return out


def _verdict(version: int, results: list[TestResult]) -> tuple[Status, TestResult | None]:
    if not results:
        return "none", None
    if any((r.item_version or 0) < version for r in results):
        return "stale", next(r for r in results if (r.item_version or 0) < version)
    failing = [r for r in results if r.outcome in (Outcome.FAILED, Outcome.ERROR)]
    if failing:
        return "failed", failing[0]
    passing = [r for r in results if r.outcome == Outcome.PASSED]
    if passing:
        return "passed", passing[0]
    return "none", results[0]
