"""Numbers people quote: `<prefix>-<year>-<nnnn>` (CMP-2026-0007), given in order under a
row lock on the year's counter, inside the action's transaction (so a refused action
uses no number and two people never get the same one)."""

from __future__ import annotations

from django.utils import timezone

from openqms.events.kinds import KINDS
from openqms.events.models import Counter


def next_number(kind: str) -> str:
    prefix = KINDS[kind].prefix
    year = timezone.localdate().year
    Counter.objects.get_or_create(prefix=prefix, year=year)
    counter = Counter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"
