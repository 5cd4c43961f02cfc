"""Competence records (ISO 13485 6.2 e): education, qualifications, experience and external
certificates, with the file and the expiry date. Withdrawn, never deleted."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.training.models import CompetenceRecord, Competency, RecordKind
from openqms.training.registry import RECORDS


def add_competence_record(
    *,
    actor: User,
    person: User,
    kind: str,
    title: str,
    issuer: str = "",
    obtained_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    competency: Competency | None = None,
    notes: str = "",
    file_name: str = "",
    file_content: IO[bytes] | None = None,
) -> CompetenceRecord:
    require(actor, RECORDS)
    if kind not in RecordKind.values:
        raise InvalidInput("Choose the kind of record.", fields={"kind": "Unknown."})
    title = clean_text(title, "title")
    issuer = clean_text(issuer, "issuer", required=False)
    notes = clean_text(notes, "notes", required=False, limit=4000)
    if obtained_on and obtained_on > timezone.localdate():
        raise InvalidInput(
            "It cannot be obtained in the future.", fields={"obtained_on": "Future."}
        )
    if competency and competency.validity_months and obtained_on and expires_on is None:
        expires_on = months_later(obtained_on, competency.validity_months)
    if obtained_on and expires_on and expires_on <= obtained_on:
        raise InvalidInput(
            "It must expire after it was obtained.", fields={"expires_on": "Before obtained."}
        )
    name = files.check_name(file_name) if file_content is not None else ""
    stored = files.store(file_content) if file_content is not None else None
    with audit.writing():
        record = CompetenceRecord.objects.create(
            person=person,
            kind=kind,
            competency=competency,
            title=title,
            issuer=issuer,
            obtained_on=obtained_on,
            expires_on=expires_on,
            file=stored,
            file_name=name,
            notes=notes,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="training.competence.added",
            obj=record,
            changes={
                "person": person.username,
                "kind": kind,
                "title": [None, title],
                "competency": competency.name if competency else None,
                "obtained_on": obtained_on,
                "expires_on": expires_on,
                "file_sha256": stored.sha256 if stored else None,
            },
        )
    return record


@audit.writing()
def withdraw_competence_record(
    *, actor: User, record: CompetenceRecord, reason: str
) -> CompetenceRecord:
    require(actor, RECORDS)
    reason = clean_text(reason, "reason", limit=2000)
    record = CompetenceRecord.objects.select_for_update().get(pk=record.pk)
    if record.withdrawn_at is not None:
        raise TransitionNotAllowed("This record was withdrawn already.")
    record.withdrawn_at, record.withdraw_reason = timezone.now(), reason
    record.save(update_fields=["withdrawn_at", "withdraw_reason"])
    audit.record(
        actor=actor,
        action="training.competence.withdrawn",
        obj=record,
        changes={"withdrawn_at": [None, record.withdrawn_at]},
        reason=reason,
    )
    return record
