"""The procedure revisions a CAPA changed (core links "changed" → documents.revision) and
the training on each (ISO 13485 8.5.2 d), 6.2: a changed procedure means retraining):
read-only, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from openqms.core.links import key_of
from openqms.core.models import RecordLink
from openqms.documents.models import Revision
from openqms.training.models import LIVE_STATES, Assignment, AssignmentState


@dataclass(frozen=True)
class Changed:
    revision: Revision
    assigned: int
    completed: int
    note: str

    @property
    def training(self) -> str:
        if not self.revision.retraining_needed:
            return "no retraining needed"
        if not self.assigned:
            return "no training assigned yet"
        return f"{self.completed} of {self.assigned} trained"


def revisions_changed(viewer: Any, capa: Any) -> list[Changed]:
    object_type, object_id = key_of(capa)
    links = RecordLink.objects.filter(
        from_type=object_type,
        from_id=object_id,
        kind="changed",
        to_type="documents.revision",
        removed_at__isnull=True,
    ).order_by("pk")
    notes = {int(link.to_id): link.note for link in links if link.to_id.isdigit()}
    revisions = Revision.objects.filter(pk__in=notes).select_related("document")
    counts = {
        row["revision"]: row
        for row in Assignment.objects.filter(revision__in=list(notes), state__in=LIVE_STATES)
        .values("revision")
        .annotate(
            assigned=Count("pk"), completed=Count("pk", filter=Q(state=AssignmentState.COMPLETED))
        )
    }
    return [
        Changed(
            revision=r,
            assigned=counts.get(r.pk, {}).get("assigned", 0),
            completed=counts.get(r.pk, {}).get("completed", 0),
            note=notes[r.pk],
        )
        for r in sorted(revisions, key=lambda r: (r.document.number, r.sequence))
    ]
