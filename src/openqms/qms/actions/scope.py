"""The QMS scope's writers: draft a version, edit the draft, take its lifecycle steps,
mark it certified, and follow up the approved body's notification (ISO 13485 4.1.1,
4.2.2 a; UK MDR 2002: the scope is fixed at assessment).

The lifecycle is a table (core.workflow): approval is top management's signature
(ISO 13485 5.1, 5.4) through core's one signed-step path."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission, require
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.registry import permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text
from openqms.core.workflow import Effect, Transition, Workflow, different_person
from openqms.qms import scope_redline
from openqms.qms.models import (
    BodyAnswer,
    Certificate,
    CertificateKind,
    DeviceFamily,
    ExclusionKind,
    NotificationState,
    Process,
    ScopeExclusion,
    ScopeNotification,
    ScopeState,
    ScopeVersion,
    Site,
)
from openqms.qms.models.scope import OPEN_STATES
from openqms.qms.registry import CERTIFICATION, SCOPE_APPROVE, SCOPE_EDIT

S = ScopeState
N = NotificationState
_CLAUSE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}$")


def _supersede_previous(scope: ScopeVersion, actor: User | None) -> dict[str, Any]:
    """One scope in force: the database allows one, so the previous one is superseded
    first, in the same transaction."""
    previous = ScopeVersion.objects.select_for_update().filter(state=S.IN_FORCE).first()
    if previous is None:
        return {}
    LIFECYCLE.cascade(
        obj=previous, name="supersede", actor=actor, changes={"superseded_by": scope.number}
    )
    return {"supersedes": previous.number}


def last_certified(*, before: int | None = None) -> ScopeVersion | None:
    qs = ScopeVersion.objects.filter(certified_on__isnull=False)
    if before is not None:
        qs = qs.filter(number__lt=before)
    return qs.order_by("-number").first()


def _flag_reassessment(scope: ScopeVersion, actor: User | None) -> None:
    """A change to a certified scope: the approved body must be told, and may reassess
    (UK MDR 2002; ISO 13485 4.1.4). The notification stays open until its answer."""
    certified = last_certified(before=scope.number)
    if certified is None:
        return
    summary = scope_redline.summary(scope_redline.compare(certified, scope))
    notification = ScopeNotification.objects.create(
        scope=scope, certified_scope=certified, summary=summary, created_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="qms.scope_notification.opened",
        obj=notification,
        changes={
            "scope": [None, scope.number],
            "certified_scope": [None, certified.number],
            "summary": [None, summary],
            "state": [None, N.TO_NOTIFY],
        },
    )


def _stamp_superseded(scope: ScopeVersion, actor: User | None) -> dict[str, Any]:
    """Before the state changes, so the supersede event records when."""
    scope.superseded_at = timezone.now()
    scope.save(update_fields=["superseded_at"])
    return {"superseded_at": [None, scope.superseded_at]}


LIFECYCLE = Workflow(
    model=ScopeVersion,
    states=ScopeState,
    transitions=[
        Transition(
            "submit",
            sources=(S.DRAFT,),
            target=S.IN_APPROVAL,
            permission=SCOPE_EDIT,
            event="qms.scope.submitted",
            label="Submit for approval",
        ),
        Transition(
            "approve",
            sources=(S.IN_APPROVAL,),
            target=S.APPROVED,
            permission=SCOPE_APPROVE,
            event="qms.scope.approved",
            label="Approve",
            signature="approved_scope",
            guards=(different_person("created_by", "Who drafted the scope cannot approve it."),),
        ),
        Transition(
            "return",
            sources=(S.IN_APPROVAL, S.APPROVED),
            target=S.DRAFT,
            permission=SCOPE_APPROVE,
            event="qms.scope.returned",
            label="Return to draft",
            reason_required=True,
            voids_signatures="Returned to draft for change",
        ),
        Transition(
            "put_in_force",
            sources=(S.APPROVED,),
            target=S.IN_FORCE,
            permission=SCOPE_EDIT,
            event="qms.scope.in_force",
            label="Put in force",
            stamp="in_force_at",
            before=(_supersede_previous,),
            effects=(_flag_reassessment,),
        ),
        Transition(
            "supersede",
            sources=(S.IN_FORCE,),
            target=S.SUPERSEDED,
            permission="",
            event="qms.scope.superseded",
            label="Supersede",
            cascade=True,
            before=(_stamp_superseded,),
        ),
    ],
)


def take_scope_step(
    *,
    actor: User,
    scope: ScopeVersion,
    step: str,
    reason: str = "",
    credentials: Credentials | None = None,
) -> ScopeVersion:
    return LIFECYCLE.apply(
        obj=scope, name=step, actor=actor, reason=reason, credentials=credentials
    )


@dataclass(frozen=True)
class Exclusion:
    clause: str
    kind: str
    what: str
    justification: str


def _clean_exclusions(rows: Sequence[Exclusion]) -> list[Exclusion]:
    cleaned, seen = [], set()
    for i, row in enumerate(rows, start=1):
        clause = clean_text(row.clause, "clause", limit=20)
        if not _CLAUSE.match(clause):
            raise InvalidInput(
                f"Exclusion {i}: the clause “{clause}” is not a clause number such as 7.5.7.",
                fields={"exclusions": "Clause numbers look like 7.5.7."},
            )
        if clause in seen:
            raise InvalidInput(
                f"Exclusion {i}: clause {clause} is listed twice.",
                fields={"exclusions": "One row per clause."},
            )
        if row.kind not in ExclusionKind.values:
            raise InvalidInput(
                f"Exclusion {i}: say whether clause {clause} is excluded or not applicable.",
                fields={"exclusions": "Excluded or not applicable."},
            )
        seen.add(clause)
        what = clean_text(row.what, "what is excluded", limit=2000)
        why = clean_text(row.justification, "justification", limit=4000)
        cleaned.append(Exclusion(clause, row.kind, what, why))
    return cleaned


def _write_content(
    scope: ScopeVersion,
    *,
    statement: str,
    sites: Sequence[Site],
    families: Sequence[DeviceFamily],
    processes: Sequence[Process],
    exclusions: Sequence[Exclusion],
) -> None:
    scope.statement = statement
    scope.save()
    scope.sites.set(sites)
    scope.families.set(families)
    scope.processes.set(processes)
    scope.exclusions.all().delete()  # a draft's rows: never signed, the audit keeps them
    ScopeExclusion.objects.bulk_create(
        ScopeExclusion(
            scope=scope,
            clause=e.clause,
            kind=e.kind,
            what=e.what,
            justification=e.justification,
            position=i,
        )
        for i, e in enumerate(exclusions)
    )


def _check_live(items: Sequence[Any], label: str) -> None:
    retired = [str(i) for i in items if i.retired_at is not None]
    if retired:
        raise InvalidInput(
            f"{label}: {', '.join(retired)} is retired and cannot be in the scope.",
            fields={label.lower().replace(" ", "_"): "Retired."},
        )


@audit.writing()
def start_scope_version(*, actor: User) -> ScopeVersion:
    """A new draft, a copy of the version in force (or empty for the first one)."""
    require(actor, SCOPE_EDIT)
    if ScopeVersion.objects.filter(state__in=OPEN_STATES).exists():
        raise TransitionNotAllowed("A new version of the scope is already being prepared.")
    source = ScopeVersion.objects.filter(state=S.IN_FORCE).first()
    number = (ScopeVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    scope = ScopeVersion(number=number, created_by=actor, created_at=timezone.now())
    content: dict[str, Any] = {"statement": "", "exclusions": []}
    if source is not None:
        content = source.content()
        _write_content(
            scope,
            statement=source.statement,
            sites=list(source.sites.all()),
            families=list(source.families.all()),
            processes=list(source.processes.all()),
            exclusions=[Exclusion(*e.as_list()) for e in source.exclusions.all()],
        )
    else:
        scope.save()
    audit.record(
        actor=actor,
        action="qms.scope.drafted",
        obj=scope,
        changes={
            "number": [None, number],
            "copied_from": [None, source.number if source else None],
            **{k: [None, v] for k, v in content.items()},
        },
    )
    return scope


@audit.writing()
def edit_scope(
    *,
    actor: User,
    scope: ScopeVersion,
    statement: str,
    sites: Sequence[Site],
    families: Sequence[DeviceFamily],
    processes: Sequence[Process],
    exclusions: Sequence[Exclusion],
    change_summary: str = "",
) -> ScopeVersion:
    require(actor, SCOPE_EDIT)
    statement = clean_text(statement, "statement", limit=10_000)
    change_summary = clean_text(change_summary, "change_summary", required=False, limit=2000)
    cleaned = _clean_exclusions(exclusions)
    _check_live(sites, "Sites")
    _check_live(families, "Device families")
    _check_live(processes, "Processes")
    scope = ScopeVersion.objects.select_for_update().get(pk=scope.pk)
    if scope.state != S.DRAFT:
        raise TransitionNotAllowed("Only a draft scope can be edited.")
    before = {**scope.content(), "change_summary": scope.change_summary}
    scope.change_summary = change_summary
    _write_content(
        scope,
        statement=statement,
        sites=sites,
        families=families,
        processes=processes,
        exclusions=cleaned,
    )
    after = {**scope.content(), "change_summary": change_summary}
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, action="qms.scope.edited", obj=scope, changes=changes)
    return scope


NOT_ANSWERED = (
    "The approved body's answer to the notification of this scope change is not recorded "
    "yet: this version cannot be marked certified until it is."
)
NOT_REASSESSED = (
    "The approved body required a reassessment of this scope change and it is not "
    "recorded as done yet: this version cannot be marked certified until it is."
)


def _notification_refusal(notification: ScopeNotification | None) -> str | None:
    """UK MDR 2002 / ISO 13485 4.1.4: a change to the certified scope is certified only
    once the approved body said no reassessment is needed, or reassessed it."""
    if notification is None:
        return None
    if notification.state in (N.TO_NOTIFY, N.SENT):
        return NOT_ANSWERED
    if notification.answer == BodyAnswer.REQUIRED and notification.state != N.REASSESSED:
        return NOT_REASSESSED
    return None


def certify_refusal(scope: ScopeVersion, user: User) -> DomainError | None:
    """Why `user` may not mark `scope` certified now, or None: what the scope page asks
    before offering the form, and what the action checks again under the lock."""
    if not has_permission(user, CERTIFICATION):
        return PermissionRefused(f"You need the permission “{permissions.label(CERTIFICATION)}”.")
    if scope.state != S.IN_FORCE:
        return TransitionNotAllowed("Only the scope in force can be marked certified.")
    if scope.certified:
        return TransitionNotAllowed("This scope version is already marked certified.")
    message = _notification_refusal(ScopeNotification.objects.filter(scope=scope).first())
    return TransitionNotAllowed(message) if message else None


def _earliest_certification(scope: ScopeVersion) -> tuple[dt.date, str]:
    """The certification cannot predate the version in force, nor the body's answer or
    reassessment that cleared it."""
    assert scope.in_force_at is not None  # the scope is in force: certify_refusal
    day, what = timezone.localdate(scope.in_force_at), "the version was put in force"
    notification = ScopeNotification.objects.filter(scope=scope).first()
    if notification is not None and notification.reassessed_on and notification.reassessed_on > day:
        day, what = notification.reassessed_on, "the reassessment"
    elif notification is not None and notification.answered_on and notification.answered_on > day:
        day, what = notification.answered_on, "the approved body's answer"
    return day, what


def _terms_refusal(
    scope: ScopeVersion, certificate: Certificate, certified_on: dt.date
) -> DomainError | None:
    if certificate.retired:
        return InvalidInput(
            "That certificate is withdrawn.", fields={"certificate": "Choose a live certificate."}
        )
    # A UKCA or CE certificate is about devices; the QMS scope is certified to ISO 13485.
    if certificate.kind != CertificateKind.ISO_13485:
        return InvalidInput(
            "Only an ISO 13485 QMS certificate certifies the QMS scope.",
            fields={"certificate": "Choose the ISO 13485 certificate."},
        )
    if certified_on > timezone.localdate():
        return InvalidInput(
            "The certification date cannot be in the future.",
            fields={"certified_on": "Today or earlier."},
        )
    earliest, what = _earliest_certification(scope)
    if certified_on < earliest:
        return InvalidInput(
            f"The certification date cannot be before {what} ({earliest.day} {earliest:%b %Y}).",
            fields={"certified_on": f"On or after {earliest.isoformat()}."},
        )
    return None


def _certify(
    scope: ScopeVersion, actor: User, certificate_pk: int, certified_on: dt.date
) -> ScopeVersion:
    """Under the lock: the certificate read afresh and locked (one withdrawn since the
    page was loaded refuses), the terms checked again, then the change and its event."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate_pk)
    error = _terms_refusal(scope, certificate, certified_on)
    if error is not None:
        raise error
    audit.record(
        actor=actor,
        action="qms.scope.certified",
        obj=scope,
        changes={
            "certificate": [None, str(certificate)],
            "certificate_id": [None, certificate.pk],
            "certified_on": [None, certified_on],
        },
    )
    scope.certificate, scope.certified_on = certificate, certified_on
    scope.save(update_fields=["certificate", "certified_on"])
    return scope


def mark_scope_certified(
    *, actor: User, scope: ScopeVersion, certificate: Certificate, certified_on: dt.date
) -> ScopeVersion:
    """The approved body has assessed this scope: it is the certified scope from now.
    A change to a signed record, so it goes through core's one signed-step path (with no
    signature: the approval was signed), which re-checks everything under the lock."""

    def check(record: ScopeVersion) -> DomainError | None:
        return certify_refusal(record, actor) or _terms_refusal(record, certificate, certified_on)

    return perform(
        actor=actor,
        record=scope,
        check=check,
        change=lambda locked, _: _certify(locked, actor, certificate.pk, certified_on),
    )


def _not_before(field: str, earlier: str, message: str) -> Effect:
    """A date rule checked under the lock on the locked row, once the step set the new
    date: raising here rolls the whole step back (nothing written). It cannot be a guard,
    which sees the row before the step's own values are set."""

    def effect(obj: Any, actor: Any) -> None:
        before = getattr(obj, earlier)
        if before is not None and getattr(obj, field) < before:
            raise InvalidInput(message, fields={field: "Too early."})

    return effect


ANSWER_BEFORE_SENT = "The answer cannot be dated before the notification was sent."
REASSESSED_BEFORE_ANSWER = "The reassessment cannot be dated before the body's answer."


def _reassessment_required(obj: Any, actor: Any) -> str | None:
    if obj.answer != BodyAnswer.REQUIRED:
        return "The approved body did not require a reassessment."
    return None


NOTIFICATION = Workflow(
    model=ScopeNotification,
    states=NotificationState,
    transitions=[
        Transition(
            "sent",
            sources=(N.TO_NOTIFY,),
            target=N.SENT,
            permission=CERTIFICATION,
            event="qms.scope_notification.sent",
            label="Record as sent",
        ),
        Transition(
            "answered",
            sources=(N.SENT,),
            target=N.ANSWERED,
            permission=CERTIFICATION,
            event="qms.scope_notification.answered",
            label="Record the answer",
            effects=(_not_before("answered_on", "sent_on", ANSWER_BEFORE_SENT),),
        ),
        Transition(
            "reassessed",
            sources=(N.ANSWERED,),
            target=N.REASSESSED,
            permission=CERTIFICATION,
            event="qms.scope_notification.reassessed",
            label="Record the reassessment",
            guards=(_reassessment_required,),
            effects=(_not_before("reassessed_on", "answered_on", REASSESSED_BEFORE_ANSWER),),
        ),
    ],
)


def _past_or_today(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise InvalidInput(
            f"The {field.replace('_', ' ')} cannot be in the future.",
            fields={field: "Today or earlier."},
        )


@audit.writing()
def edit_notification_summary(
    *, actor: User, notification: ScopeNotification, summary: str
) -> ScopeNotification:
    require(actor, CERTIFICATION)
    summary = clean_text(summary, "summary", limit=10_000)
    notification = ScopeNotification.objects.select_for_update().get(pk=notification.pk)
    if notification.state != N.TO_NOTIFY:
        raise TransitionNotAllowed("The notification was sent; what it said stays as sent.")
    changes = audit.diff({"summary": notification.summary}, {"summary": summary})
    if changes:
        audit.record(
            actor=actor, action="qms.scope_notification.edited", obj=notification, changes=changes
        )
        notification.summary = summary
        notification.save(update_fields=["summary"])
    return notification


def record_notification_sent(
    *, actor: User, notification: ScopeNotification, sent_on: dt.date, reference: str
) -> ScopeNotification:
    reference = clean_text(reference, "reference", limit=100)
    _past_or_today(sent_on, "sent_on")
    return NOTIFICATION.apply(
        obj=notification,
        name="sent",
        actor=actor,
        updates={"sent_on": sent_on, "reference": reference},
    )


def record_body_answer(
    *,
    actor: User,
    notification: ScopeNotification,
    answer: str,
    answered_on: dt.date,
    answer_text: str = "",
) -> ScopeNotification:
    if answer not in BodyAnswer.values:
        raise InvalidInput(
            "Choose the approved body's answer.", fields={"answer": "Choose one of the answers."}
        )
    answer_text = clean_text(answer_text, "answer_text", required=False, limit=10_000)
    _past_or_today(answered_on, "answered_on")
    if notification.sent_on and answered_on < notification.sent_on:  # again under the lock
        raise InvalidInput(ANSWER_BEFORE_SENT, fields={"answered_on": "On or after the date sent."})
    return NOTIFICATION.apply(
        obj=notification,
        name="answered",
        actor=actor,
        updates={"answer": answer, "answered_on": answered_on, "answer_text": answer_text},
    )


def record_reassessment(
    *, actor: User, notification: ScopeNotification, reassessed_on: dt.date, reassessment: str
) -> ScopeNotification:
    """After a "reassessment required" answer: the body's reassessment is done (its date,
    its report's reference and outcome). Until then the scope cannot be marked certified,
    and the task and the dashboard flag stay open."""
    reassessment = clean_text(reassessment, "reassessment", limit=2000)
    _past_or_today(reassessed_on, "reassessed_on")
    if notification.answered_on and reassessed_on < notification.answered_on:  # again under lock
        raise InvalidInput(
            REASSESSED_BEFORE_ANSWER, fields={"reassessed_on": "On or after the answer."}
        )
    return NOTIFICATION.apply(
        obj=notification,
        name="reassessed",
        actor=actor,
        updates={"reassessed_on": reassessed_on, "reassessment": reassessment},
    )
