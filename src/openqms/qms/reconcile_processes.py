"""`openqms verify` for the process register: a process is retired exactly when the trail
recorded its retirement (a row edited in the database without an action shows up)."""

from __future__ import annotations

from openqms.core.integrity import Finding, Findings
from openqms.core.reconcile import events
from openqms.qms.models import Process


def process_retirement() -> Findings:
    """Each process's retired flag is the one its events recorded."""
    said = {
        object_id: seq
        for seq, _, object_id, _ in events("qms.process.retired", object_type="qms.process")
    }
    found = Findings()
    for pk, code, retired_at in Process.objects.order_by("pk").values_list(
        "pk", "code", "retired_at"
    ):
        found.checked += 1
        seq = said.get(str(pk))
        if (seq is not None) != (retired_at is not None):
            found.append(
                Finding(
                    "qms: process_retirement",
                    f"qms.process {pk} ({code})",
                    f"retired (event #{seq})" if seq else "in use",
                    "retired" if retired_at else "in use",
                )
            )
    return found
