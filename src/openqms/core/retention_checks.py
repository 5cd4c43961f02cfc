"""Retention's reconcile checks for `openqms verify`, and its records' names in the audit
trail. Each check compares the rows with what their audit events recorded, set-based
(one query for the events by code, one for the rows)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.integrity import Finding, Findings
from openqms.core.models import RecordDisposition, RecordHold, RetentionRule, User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.reconcile import events
from openqms.core.registry import RETENTION_MANAGE

RULE = "core: retention rules"
HOLD = "core: legal holds"
DISPOSED = "core: dispositions"


def retention_rules() -> Findings:
    """Each rule row says what its last `core.retention.rule_changed` event set."""
    said: dict[str, tuple[int, dict]] = {}
    for seq, _, code, changes in events("core.retention.rule_changed"):
        said[code] = (seq, {name: value[1] for name, value in changes.items()})
    found = Findings()
    fields = ("years", "counted_from", "regulation", "minimum_years")
    for row in RetentionRule.objects.order_by("record_class").values("record_class", *fields):
        found.checked += 1
        code = row.pop("record_class")
        seq, recorded = said.pop(code, (0, None))
        if recorded != row:
            trail = f"{recorded} (event #{seq})" if recorded else "no rule change recorded"
            found.append(Finding(RULE, f"core.retentionrule {code}", trail, str(row)))
    for code, (seq, recorded) in said.items():
        found.append(Finding(RULE, f"core.retentionrule {code}", f"{recorded} (#{seq})", "no row"))
    return found


def legal_holds() -> Findings:
    """Each hold was placed by an event, and is released exactly when one says so."""
    placed: dict[int, int] = {}
    released: dict[int, int] = {}
    for seq, action, _, changes in events("core.hold.placed", "core.hold.released"):
        if action == "core.hold.placed":
            placed[changes["hold"][1]] = seq
        else:
            released[changes["hold"][0]] = seq
    found = Findings()
    for pk, released_at in RecordHold.objects.order_by("pk").values_list("pk", "released_at"):
        found.checked += 1
        record = f"core.recordhold {pk}"
        if pk not in placed:
            found.append(Finding(HOLD, record, "never placed", "a hold"))
        placed.pop(pk, 0)
        seq = released.pop(pk, 0)
        if bool(seq) != (released_at is not None):
            trail = f"released (event #{seq})" if seq else "on"
            found.append(Finding(HOLD, record, trail, "released" if released_at else "on"))
    for pk, seq in placed.items():
        found.append(Finding(HOLD, f"core.recordhold {pk}", f"placed (event #{seq})", "no row"))
    return found


def dispositions() -> Findings:
    """Each disposition has its `core.record.disposed` event, and each event its row."""
    said = {
        changes["disposition"][1]: (seq, f"{changes['record_class']} {object_id}")
        for seq, _, object_id, changes in events("core.record.disposed")
    }
    found = Findings()
    for pk, code, object_id in RecordDisposition.objects.order_by("pk").values_list(
        "pk", "record_class", "object_id"
    ):
        found.checked += 1
        seq, recorded = said.pop(pk, (0, ""))
        if recorded != f"{code} {object_id}":
            trail = f"{recorded} (event #{seq})" if seq else "never disposed of"
            found.append(
                Finding(DISPOSED, f"core.recorddisposition {pk}", trail, f"{code} {object_id}")
            )
    for pk, (seq, recorded) in said.items():
        found.append(
            Finding(DISPOSED, f"core.recorddisposition {pk}", f"{recorded} (#{seq})", "no row")
        )
    return found


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    """Names of retention rules and dispositions (their signatures' events) in the trail."""
    manages = has_permission(viewer, RETENTION_MANAGE)
    found: dict[RecordKey, RecordRef] = {}
    for object_type, object_id in keys:
        if object_type == "core.retentionrule":
            url = reverse("core:retention-rule", args=[object_id]) if manages else ""
            found[(object_type, object_id)] = RecordRef(f"Retention rule {object_id}", url)
    ids = [int(i) for t, i in keys if t == "core.recorddisposition" and i.isdigit() and len(i) < 19]
    for d in RecordDisposition.objects.filter(pk__in=ids):
        url = (
            reverse("core:retention-record", args=[d.record_class, d.object_id]) if manages else ""
        )
        found[("core.recorddisposition", str(d.pk))] = RecordRef(str(d), url)
    return found
