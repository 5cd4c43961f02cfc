"""The QMS frame's reconciliation checks (`openqms verify`): each area's rows against
what its audit events recorded. Set-based: events by code in key order, rows in one
query, compared in dictionaries."""

from __future__ import annotations

from openqms.core.integrity import Finding, Findings
from openqms.core.reconcile import events
from openqms.core.workflow import Workflow
from openqms.qms.actions.scope import LIFECYCLE, NOTIFICATION
from openqms.qms.models import NotificationState, ScopeNotification, ScopeState, ScopeVersion


def _states(check: str, flow: Workflow, object_type: str, rows, first: str) -> Findings:
    codes = sorted({t.event for t in flow.transitions.values()})
    said = {
        object_id: (seq, changes["state"][1])
        for seq, _, object_id, changes in events(*codes, object_type=object_type)
    }
    found = Findings()
    for pk, state in rows:
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, first))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else f"{recorded} (no step taken)"
            found.append(Finding(check, f"{object_type} {pk}", trail, state))
    return found


def scope_states() -> Findings:
    """Each scope version's state is the one its last lifecycle event recorded."""
    rows = ScopeVersion.objects.order_by("pk").values_list("pk", "state")
    return _states("qms: scope_states", LIFECYCLE, "qms.scopeversion", rows, ScopeState.DRAFT)


def scope_notification_states() -> Findings:
    """Each approved-body notification's state is the one its last event recorded."""
    rows = ScopeNotification.objects.order_by("pk").values_list("pk", "state")
    return _states(
        "qms: scope_notification_states",
        NOTIFICATION,
        "qms.scopenotification",
        rows,
        NotificationState.TO_NOTIFY,
    )


def scope_certifications() -> Findings:
    """A scope marked certified has the event that marked it (and the same date)."""
    said = {
        object_id: (seq, changes["certified_on"][1])
        for seq, _, object_id, changes in events(
            "qms.scope.certified", object_type="qms.scopeversion"
        )
    }
    found = Findings()
    rows = ScopeVersion.objects.order_by("pk").values_list("pk", "certified_on")
    for pk, certified_on in rows:
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, None))
        row = certified_on.isoformat() if certified_on else None
        if recorded != row:
            trail = f"certified {recorded} (event #{seq})" if seq else "never certified"
            found.append(
                Finding("qms: scope_certifications", f"qms.scopeversion {pk}", trail, str(row))
            )
    return found
