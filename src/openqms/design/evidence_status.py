"""Where each verification or validation item stands on evidence, for the item pages:
the latest result in its project's current baseline, and whether it still counts.

- "passed": the latest run that named the item passed every case naming it, at the
  item's current version;
- "failed": a case naming it failed or errored in that run;
- "stale": that run passed it at another version of the item (ISO 13485 7.3.6: the
  verification must be of the design as it is; stale evidence does not count);
- "none": no result in the current baseline, or the latest run skipped every case
  naming it.

The trace's "evidence" gap rule calls the same `verdict`, so a page and the gap list
never disagree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
        if pk not in items:
            out[pk] = ("none", None)
            continue
        results = latest.get(pk, [])
        status, at = verdict(items[pk][0], [(r.item_version, r.outcome) for r in results])
        out[pk] = (status, results[at] if at is not None else None)
    return out


def verdict(version: int, cases: Sequence[tuple[int | None, str]]) -> tuple[Status, int | None]:
    """The one evidence verdict (the item pages and the trace's "evidence" rule both use
    it). `cases` are (item version tested, outcome) of the cases naming the item in the
    latest run that named it; `version` is the item's current version. Returns the
    status and the index of the case it rests on (None when there is none)."""
    if not cases:
        return "none", None
    for at, (_, outcome) in enumerate(cases):
        if outcome in (Outcome.FAILED, Outcome.ERROR):
            return "failed", at
    ran = [at for at, (_, outcome) in enumerate(cases) if outcome != Outcome.SKIPPED]
    if not ran:
        return "none", 0
    for at in ran:
        if cases[at][0] != version:
            return "stale", at
    return "passed", ran[0]
