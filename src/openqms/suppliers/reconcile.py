"""Supplier control's reconciliation checks (`openqms verify`): a supplier's status and
an evaluation's state are what their last audited step recorded, so a row edited in the
database without an action shows up. Set-based: a few queries however many suppliers."""

from __future__ import annotations

from openqms.core.integrity import Finding, Findings
from openqms.core.reconcile import events
from openqms.suppliers.actions.evaluations import EVALUATION
from openqms.suppliers.models import Evaluation, EvaluationState, Status, Supplier


def supplier_statuses() -> Findings:
    """Each supplier's status is the one the last signed decision set (new before any)."""
    said = {
        object_id: (seq, changes["status"][1])
        for seq, _, object_id, changes in events(
            "suppliers.supplier.status_set", object_type="suppliers.supplier"
        )
    }
    found = Findings()
    for pk, status in Supplier.objects.order_by("pk").values_list("pk", "status"):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, Status.NEW))
        if recorded != status:
            trail = f"{recorded} (event #{seq})" if seq else f"{recorded} (no decision signed)"
            found.append(
                Finding("suppliers: supplier statuses", f"suppliers.supplier {pk}", trail, status)
            )
    return found


def evaluation_states() -> Findings:
    """Each evaluation's state is the one its last step recorded (awaiting before)."""
    codes = sorted({t.event for t in EVALUATION.transitions.values()})
    said = {
        object_id: (seq, changes["state"][1])
        for seq, _, object_id, changes in events(*codes, object_type="suppliers.evaluation")
    }
    found = Findings()
    for pk, state in Evaluation.objects.order_by("pk").values_list("pk", "state"):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, EvaluationState.AWAITING))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else f"{recorded} (no step taken)"
            found.append(
                Finding("suppliers: evaluation states", f"suppliers.evaluation {pk}", trail, state)
            )
    return found
