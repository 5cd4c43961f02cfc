"""Risk reviews (ISO 14971 10.3, 10.4): a new complaint, incident report, trend report
or CAPA for a device with a risk file opens one (events fire "events.record_opened";
design listens, module.py); closing it records whether the risk file needed updating and
links the hazards concerned to the review and to the record that opened it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import choice, long_text
from openqms.core.links import key_of, link_records
from openqms.core.models import User
from openqms.design.models import Hazard, RiskFile, RiskReview, RiskReviewOutcome
from openqms.design.registry import EDIT


def record_opened(record: Any, actor: User | None = None) -> RiskReview | None:
    """Listener of "events.record_opened", inside the transaction that opened `record`:
    a risk review on its device's risk file, if the device has one."""
    device_id = getattr(record, "device_id", None)
    file = RiskFile.objects.filter(device_id=device_id).first() if device_id else None
    if file is None:
        return None
    object_type, object_id = key_of(record)
    if RiskReview.objects.filter(file=file, source_type=object_type, source_id=object_id).exists():
        return None
    review = RiskReview.objects.create(
        file=file,
        source_type=object_type,
        source_id=object_id,
        source_label=str(record)[:250],
        opened_at=timezone.now(),
    )
    audit.record(
        actor=actor or getattr(record, "opened_by", None),
        action="design.risk_review.opened",
        obj=review,
        changes={"source": [None, f"{object_type}:{object_id}"], "file": [None, str(file)]},
    )
    return review


@audit.writing()
def open_review(*, actor: User, record: Any) -> RiskReview:
    """Open a risk review by hand for a quality record opened before its device had a
    risk file (the hook opens one for every record opened after)."""
    require(actor, EDIT)
    review = record_opened(record, actor)
    if review is None:
        raise InvalidInput(
            f"{record} has a risk review already, or its device has no risk file.",
            fields={"record": "No review opened."},
        )
    return review


@audit.writing()
def close_review(
    *,
    actor: User,
    review: RiskReview,
    outcome: Any,
    hazards: Iterable[Hazard] = (),
    note: Any = "",
) -> RiskReview:
    """Close a review with its outcome; "risk file updated" names the hazards concerned,
    which are linked ("related") to the review and to the record that opened it."""
    require(actor, EDIT)
    found = RiskReview.objects.select_for_update().get(pk=review.pk)
    if found.closed_at is not None:
        raise TransitionNotAllowed("This risk review is closed already.")
    result = choice(outcome, RiskReviewOutcome, "outcome")
    concerned = list(hazards)
    if any(h.file_id != found.file_id for h in concerned):
        raise InvalidInput("Name hazards of this risk file only.", fields={"hazards": "?"})
    if result == RiskReviewOutcome.UPDATED and not concerned:
        raise InvalidInput(
            "Name the hazards the risk file update concerns.",
            fields={"hazards": "Required when the risk file was updated."},
        )
    found.outcome, found.note = result, long_text(note, "note")
    found.closed_at, found.closed_by = timezone.now(), actor
    found.save(update_fields=["outcome", "note", "closed_at", "closed_by"])
    found.hazards.set(concerned)
    source = (found.source_type, found.source_id)
    for hazard in concerned:
        link_records(actor=actor, source=found, target=hazard, kind="related")
        link_records(actor=actor, source=source, target=hazard, kind="related")
    audit.record(
        actor=actor,
        action="design.risk_review.closed",
        obj=found,
        changes={
            "outcome": [None, result],
            "hazards": [None, [h.code for h in concerned] or None],
            "note": [None, found.note or None],
        },
    )
    return found
