"""The quality events demo (Halden Health Ltd; docs/demo.md): one step per area, each
idempotent, run in order after the QMS frame, devices and suppliers.

The story the steps tell together: a RhythmCheck complaint that is a serious incident
with its 10-day clock running (4 days left); another reported on time and closed; an
FSCA of the patch applicator with the MHRA told before action and reconciliation at
80%; a nonconformity used as is under a signed concession; a CAPA in its effectiveness
check; a PSUR due next month for RhythmCheck (Class IIa)."""

from __future__ import annotations

from openqms.documents.models import Document
from openqms.events.models import EventProcedure

# The demo's procedures each kind of record follows (documents' demo makes them).
PROCEDURES = {
    "feedback": "SOP-003",
    "complaint": "SOP-003",
    "incident_report": "SOP-003",
    "fsca": "SOP-003",
    "nonconformity": "SOP-004",
    "capa": "SOP-004",
}


def procedures() -> None:
    """Name the governing procedures (no audit event: seeded configuration, like the
    clock rules a fresh install has)."""
    for kind, number in PROCEDURES.items():
        document = Document.objects.filter(number=number).first()
        if document is not None:
            EventProcedure.objects.get_or_create(kind=kind, defaults={"document": document})
