"""The specimen's reconciliation check (`openqms verify`): copy this shape for a module.

A check reads the module's events by code in key order (core.reconcile.events), its rows
in one query, and compares them in dictionaries: a few queries however many records."""

from openqms.core.integrity import Finding, Findings
from openqms.core.reconcile import events
from openqms.testapp.actions import REVIEW
from openqms.testapp.models import Specimen, SpecimenState


def specimen_states() -> Findings:
    """Each specimen's state is the one its last workflow event recorded (draft before)."""
    codes = sorted({t.event for t in REVIEW.transitions.values()})
    said = {
        object_id: (seq, changes["state"][1])
        for seq, _, object_id, changes in events(*codes, object_type="testapp.specimen")
    }
    found = Findings()
    for pk, state in Specimen.objects.order_by("pk").values_list("pk", "state"):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, SpecimenState.DRAFT))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else f"{recorded} (no step taken)"
            found.append(
                Finding("testapp: specimen states", f"testapp.specimen {pk}", trail, state)
            )
    return found
