"""The register of external documents (4.2.4 f), and its currency checks.

A document registered is due for its first check at once: until someone checks it, its
currency is unknown ("never checked"), not "current". Each check schedules the next one
after the document's interval; `openqms tick` reminds those who keep the register once
per due date (the claim on `reminded_for` makes two ticks send one email).
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from openqms.core import audit, mail
from openqms.core.access import require
from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import ExternalDocument
from openqms.documents.notify import people_with
from openqms.documents.registry import EXTERNAL

INTERVAL_MONTHS = (1, 120)


def _interval(months: int) -> int:
    low, high = INTERVAL_MONTHS
    if not low <= months <= high:
        raise InvalidInput(
            f"The check interval must be between {low} and {high} months.",
            fields={"check_interval_months": "Out of range."},
        )
    return months


@audit.writing()
def register_external_document(
    *,
    actor: User,
    reference: str,
    title: str,
    edition: str = "",
    source: str = "",
    check_interval_months: int = 12,
) -> ExternalDocument:
    require(actor, EXTERNAL)
    reference = clean_text(reference, "reference", limit=100)
    interval = _interval(check_interval_months)
    if ExternalDocument.objects.filter(reference__iexact=reference).exists():
        raise InvalidInput(
            f"“{reference}” is already in the register.",
            fields={"reference": "Already registered."},
        )
    document = ExternalDocument.objects.create(
        reference=reference,
        title=clean_text(title, "title", limit=300),
        edition=clean_text(edition, "edition", required=False, limit=100),
        source=clean_text(source, "source", required=False, limit=200),
        check_interval_months=interval,
        check_due=timezone.localdate(),  # never checked: its currency is unknown now
    )
    audit.record(
        actor=actor,
        action="documents.external.added",
        obj=document,
        changes={
            "reference": [None, reference],
            "title": [None, document.title],
            "edition": [None, document.edition],
            "check_interval_months": [None, interval],
            "check_due": [None, document.check_due],
        },
    )
    return document


@audit.writing()
def check_external_document(
    *,
    actor: User,
    document: ExternalDocument,
    is_current: bool,
    edition: str,
    notes: str,
) -> ExternalDocument:
    """Record that someone checked whether the edition held is still the current one."""
    require(actor, EXTERNAL)
    document = ExternalDocument.objects.select_for_update().get(pk=document.pk)
    today = timezone.localdate()
    new = {
        "is_current": is_current,
        "edition": clean_text(edition, "edition", required=False, limit=100),
        "last_checked": today,
        "checked_by_id": actor.pk,
        "check_due": months_later(today, document.check_interval_months),
    }
    changes = audit.diff({k: getattr(document, k) for k in new}, new)
    for field, value in new.items():
        setattr(document, field, value)
    document.notes = clean_text(notes, "notes", required=False, limit=4000)
    document.save(update_fields=[*new, "notes"])
    audit.record(
        actor=actor,
        action="documents.external.checked",
        obj=document,
        changes=changes,
        reason=document.notes,
    )
    return document


def send_currency_check_reminders() -> str:
    """What `openqms tick` runs: one email per due check to those who keep the register,
    queued and audited in the transaction that claims it."""
    due = ExternalDocument.objects.filter(check_due__lte=timezone.localdate()).filter(
        Q(reminded_for__isnull=True) | ~Q(reminded_for=F("check_due"))
    )
    sent = sum(_remind(document) for document in due.order_by("reference"))
    return f"{sent} currency-check reminder(s) queued"


@audit.writing()
def _remind(document: ExternalDocument) -> bool:
    claimed = (
        ExternalDocument.objects.filter(pk=document.pk, check_due=document.check_due)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("check_due")))
        .update(reminded_for=document.check_due)
    )
    if not claimed:  # another tick, or a check recorded meanwhile
        return False
    people = people_with(EXTERNAL)
    state = "has never been checked" if document.never_checked else "is due for its check"
    mail.queue(
        (
            f"OpenQMS: check that {document.reference} is current",
            f"{document.reference} ({document.title}) {state}: due "
            f"{document.check_due:%d %b %Y}. Record the check in OpenQMS: "
            f"{mail.link('documents:external')}\n",
            [p.email],
        )
        for p in people
    )
    audit.record(
        actor=None,
        action="documents.external.reminded",
        obj=document,
        changes={"check_due": document.check_due, "to": sorted(p.username for p in people)},
    )
    return True
