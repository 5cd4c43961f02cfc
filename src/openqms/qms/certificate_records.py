"""The certificates' and clauses' records as the rest of OpenQMS sees them: their names
in the audit trail (trail.NAMERS) and `openqms verify`'s check that each certificate's
withdrawn state is the one its events recorded."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.integrity import Finding, Findings
from openqms.core.models import User
from openqms.core.modules import RecordRef
from openqms.core.reconcile import events
from openqms.qms.models import Certificate, Clause

CERTIFICATE, CLAUSE = "qms.certificate", "qms.clause"


def _ids(ids: Sequence[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) < 19]


def certificate_names(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    # Everyone signed in reads certificates (qms/access.py), so every event is readable.
    rows = Certificate.objects.filter(pk__in=_ids(ids)).select_related("body")
    return {
        str(c.pk): RecordRef(
            f"Certificate {c.number} ({c.body.name})", reverse("qms:certificate", args=[c.pk])
        )
        for c in rows
    }


def clause_names(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    rows = Clause.objects.filter(pk__in=_ids(ids))
    return {
        str(c.pk): RecordRef(f"Clause {c.number} coverage", reverse("qms:clause", args=[c.number]))
        for c in rows
    }


def certificate_states() -> Findings:
    """Each certificate is withdrawn exactly when a withdrawal event says so (a row
    withdrawn, or brought back, in the database without the action shows up here)."""
    said = {
        object_id: seq
        for seq, _, object_id, _ in events("qms.certificate.withdrawn", object_type=CERTIFICATE)
    }
    found = Findings()
    for pk, retired_at in Certificate.objects.order_by("pk").values_list("pk", "retired_at"):
        found.checked += 1
        seq = said.get(str(pk))
        row = "withdrawn" if retired_at else "valid"
        trail = f"withdrawn (event #{seq})" if seq else "valid (never withdrawn)"
        if (seq is not None) != (retired_at is not None):
            found.append(Finding("qms: certificate states", f"{CERTIFICATE} {pk}", trail, row))
    return found
