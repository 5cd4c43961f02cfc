"""The traceability engine: the gap state of every item, kept up to date by the actions
that change items, links and evidence, and the full check and matrix read from it.

(trace slice: replace the bodies below; keep the names and signatures, other areas call
them.)"""

from __future__ import annotations

from collections.abc import Iterable


def refresh(project_id: int, item_ids: Iterable[int]) -> None:
    """Recompute the Gap rows of `item_ids` (and of items whose gaps depend on them) in
    the caller's transaction: a constant number of queries for a handful of items."""


def rebuild(project_id: int) -> int:
    """Recompute every Gap row of the project from scratch (after an import); the number
    of gaps."""
    return 0
