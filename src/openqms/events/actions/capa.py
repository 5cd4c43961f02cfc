"""CAPA (ISO 13485 8.5.2, 8.5.3): raising, the workflow table, the signed effectiveness
result and the signed closure, links to the procedure revisions a CAPA changed, and the
CAPA section of a PMS pack. The plan's tasks, verification, the effectiveness plan and
the regulatory impact are in actions/capa_plan.py.

Every step on an existing CAPA is taken by someone trained on the CAPA procedure (the
training gate: a guard in the table for unsigned steps, core's signing gate for signed
ones). Raising one is open to anyone who may log quality events (LOG)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.access import has_permission
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.links import link_records
from openqms.core.models import User
from openqms.core.signatures import Credentials, signing_refusal
from openqms.core.signing import perform
from openqms.core.workflow import Transition, Workflow, different_person
from openqms.documents.models import Revision
from openqms.events.actions.common import (
    PERFORMED,
    choice,
    link_sources,
    long_text,
    require,
    text,
)
from openqms.events.models import (
    Capa,
    CapaReference,
    CapaState,
    CapaType,
    EffectivenessCheck,
    Party,
    ReferenceKind,
    Result,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import CAPA_CLOSED, CAPA_EFFECTIVENESS, LOG, MANAGE, SIGN

S = CapaState


def trained(capa: Any, actor: User | None) -> str | None:
    """The training gate on an unsigned step (ISO 13485 6.2), as a guard of the table."""
    if actor is None:
        return None
    return signing_refusal(signer=actor, obj=capa, meaning=PERFORMED)


def _analysed(capa: Capa, actor: User | None) -> str | None:
    if not capa.problem or capa.risk_severity is None or capa.risk_probability is None:
        return "Record the problem and its risk (severity and probability) first."
    if not capa.whys or not capa.cause_categories or not capa.root_cause:
        return (
            "Record the root-cause analysis first: the whys, the cause categories and "
            "the root cause."
        )
    if not capa.actions.filter(round=capa.round).exists():
        return "Add at least one action to the plan first."
    return None


def _all_done(capa: Capa, actor: User | None) -> str | None:
    if capa.actions.filter(round=capa.round, done_at__isnull=True).exists():
        return "Every action of the plan must be done, with its evidence, first."
    return None


def _ready_for_check(capa: Capa, actor: User | None) -> str | None:
    if capa.verified_at is None:
        return "Record the verification of the implementation first."
    if not capa.effectiveness_criteria or capa.effectiveness_due is None:
        return "Plan the effectiveness check (criteria and due date) first."
    return None


def regulatory_refusal(capa: Capa) -> str | None:
    """Closure needs the regulatory impact assessed and, when the CAPA touches safety or
    performance, dated evidence that the UK Responsible Person and the approved body were
    told (UK MDR 2002; the approved body's surveillance of changes)."""
    if capa.touches_safety is None:
        return "Assess the regulatory impact (does it touch safety or performance?) first."
    if capa.touches_safety:
        told = set(capa.notices.values_list("party", flat=True))
        missing = [p.label for p in Party if p.value not in told]
        if missing:
            verb = "was" if len(missing) == 1 else "were"
            return (
                "This CAPA touches safety or performance: record when the "
                f"{' and the '.join(missing)} {verb} told before closing it."
            )
    return None


def _closable(capa: Capa, actor: User | None) -> str | None:
    # ISO 13485 8.5.2 f): no closure before effectiveness is verified (also a DB check).
    if capa.effectiveness != Result.EFFECTIVE:
        return "A CAPA closes only once its effectiveness is verified effective."
    return regulatory_refusal(capa)


CAPA = Workflow(
    model=Capa,
    states=CapaState,
    transitions=[
        Transition(
            "investigate",
            sources=(S.OPEN,),
            target=S.INVESTIGATING,
            permission=MANAGE,
            event="events.capa.investigating",
            label="Start the investigation",
            guards=(trained,),
        ),
        Transition(
            "implement",
            sources=(S.INVESTIGATING,),
            target=S.IMPLEMENTING,
            permission=MANAGE,
            event="events.capa.implementing",
            label="Start the action plan",
            guards=(trained, _analysed),
        ),
        Transition(
            "verify",
            sources=(S.IMPLEMENTING,),
            target=S.VERIFYING,
            permission=MANAGE,
            event="events.capa.verifying",
            label="Send for verification",
            guards=(trained, _analysed, _all_done),
        ),
        Transition(
            "check",
            sources=(S.VERIFYING,),
            target=S.EFFECTIVENESS,
            permission=MANAGE,
            event="events.capa.checking",
            label="Start the effectiveness check",
            guards=(trained, _ready_for_check),
        ),
        # Taken within the signed effectiveness result (record_effectiveness).
        Transition(
            "effective",
            sources=(S.EFFECTIVENESS,),
            target=S.EFFECTIVENESS,
            permission=SIGN,
            event="events.capa.effective",
            cascade=True,
        ),
        Transition(
            "reopen",
            sources=(S.EFFECTIVENESS,),
            target=S.IMPLEMENTING,
            permission=SIGN,
            event="events.capa.reopened",
            cascade=True,
        ),
        Transition(
            "close",
            sources=(S.EFFECTIVENESS,),
            target=S.CLOSED,
            permission=SIGN,
            event="events.capa.closed",
            label="Close the CAPA",
            signature=CAPA_CLOSED,
            guards=(_closable,),
            stamp="closed_at",
        ),
    ],
)
STEPS = ("investigate", "implement", "verify", "check", "close")


def locked(capa: Capa) -> Capa:
    return Capa.objects.select_for_update().get(pk=capa.pk)


def open_for_work(capa: Capa, actor: User, permission: str, what: str) -> None:
    """The checks every unsigned change to an open CAPA starts with."""
    require(actor, permission, what)
    if capa.state == S.CLOSED:
        raise TransitionNotAllowed(f"{capa.number} is closed; nothing was changed.")
    refusal = trained(capa, actor)
    if refusal:
        raise TransitionNotAllowed(refusal)


def _references(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    found = []
    for kind, reference in rows:
        found.append((choice(kind, ReferenceKind, "reference_kind"), text(reference, "reference")))
    return found


@audit.writing()
def raise_capa(
    *,
    actor: User,
    title: str,
    capa_type: str,
    problem: str,
    owner: User | None = None,
    device: Any = None,
    sources: Sequence[str] = (),
    references: Sequence[tuple[str, str]] = (),
) -> Capa:
    """Raise a CAPA, linked "raised" from the records it comes from (`sources`, as
    "events.complaint:12") and with its typed references (audit finding…)."""
    require(actor, LOG, "raise a CAPA")
    fields = {
        "title": text(title, "title"),
        "capa_type": choice(capa_type, CapaType, "capa_type"),
        "problem": long_text(problem, "problem", required=True),
    }
    rows = _references(references)
    if owner is not None and not owner.is_active:
        raise InvalidInput("The owner's account is not active.", fields={"owner": "Inactive."})
    now = timezone.now()
    capa = Capa.objects.create(
        number=next_number("capa"),
        owner=owner or actor,
        opened_by=actor,
        opened_at=now,
        device=device,
        **fields,
    )
    for kind, reference in rows:
        CapaReference.objects.create(
            capa=capa, kind=kind, reference=reference, added_by=actor, added_at=now
        )
    audit.record(
        actor=actor,
        action="events.capa.raised",
        obj=capa,
        changes={
            "number": [None, capa.number],
            "title": [None, capa.title],
            "capa_type": [None, capa.capa_type],
            "problem": [None, capa.problem],
            "owner": [None, capa.owner.username],
            "device": [None, str(device) if device else None],
            "references": [None, [f"{k}: {r}" for k, r in rows] or None],
        },
    )
    link_sources(actor=actor, record=capa, sources=sources)
    modules.fire("events.record_opened", capa)
    return capa


@audit.writing()
def add_reference(*, actor: User, capa: Capa, kind: str, reference: str) -> CapaReference:
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, "change CAPAs")
    [(kind, reference)] = _references([(kind, reference)])
    row = CapaReference.objects.create(
        capa=capa, kind=kind, reference=reference, added_by=actor, added_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="events.capa.reference_added",
        obj=capa,
        changes={"reference": [None, f"{kind}: {reference}"]},
    )
    return row


def take_step(
    *,
    actor: User,
    capa: Capa,
    step: str,
    credentials: Credentials | None = None,
    reason: str = "",
) -> Capa:
    """Take one step of the table (investigate, implement, verify, check, close)."""
    if step not in STEPS:
        raise TransitionNotAllowed(f"There is no step called “{step}”.")
    capa.refresh_from_db()  # the check before the password reads the current state
    return CAPA.apply(obj=capa, name=step, actor=actor, credentials=credentials, reason=reason)


def effectiveness_refusal(capa: Capa, actor: User) -> DomainError | None:
    """Why `actor` may not sign the effectiveness result now, or None."""
    if capa.state != S.EFFECTIVENESS:
        return TransitionNotAllowed(
            f"The effectiveness result is signed during the effectiveness check; "
            f"{capa.number} is {capa.get_state_display()}."
        )
    if capa.effectiveness == Result.EFFECTIVE:
        return TransitionNotAllowed("Its effectiveness is verified already.")
    if not has_permission(actor, SIGN):
        return PermissionRefused("You need the permission to sign CAPA effectiveness.")
    # Segregation of duties: whoever owns, opened or verified the actions does not judge
    # the CAPA effective.
    for rule in (
        different_person("owner", "The CAPA's owner cannot sign its effectiveness."),
        different_person("opened_by", "Whoever opened the CAPA cannot sign its effectiveness."),
        different_person(
            "verified_by", "Whoever verified the CAPA's actions cannot sign its effectiveness."
        ),
    ):
        message = rule(capa, actor)
        if message:
            return TransitionNotAllowed(message)
    return None


def record_effectiveness(
    *,
    actor: User,
    capa: Capa,
    result: str,
    evidence: str,
    credentials: Credentials | None,
    comment: str = "",
) -> EffectivenessCheck:
    """Sign the result of this round's effectiveness check. Effective: the CAPA may
    close. Not effective: it is reopened (implementing) with a new plan round."""
    result = choice(result, Result, "result")
    evidence = long_text(evidence, "evidence", required=True)

    def build(c: Capa) -> EffectivenessCheck:
        return EffectivenessCheck(
            capa=c,
            round=c.round,
            criteria=c.effectiveness_criteria,
            result=result,
            evidence=evidence,
            checked_by=actor,
            checked_at=timezone.now(),
        )

    def change(c: Capa, made: EffectivenessCheck) -> EffectivenessCheck:
        changes = {"round": c.round, "result": [None, result], "evidence": [None, evidence]}
        c.effectiveness = result
        fields = ["effectiveness"]
        if result == Result.NOT_EFFECTIVE:
            changes["round"] = [c.round, c.round + 1]
            c.round += 1
            # The new round is implemented, verified and checked afresh.
            c.verification, c.verified_by, c.verified_at = "", None, None
            fields += ["round", "verification", "verified_by", "verified_at"]
        c.save(update_fields=fields)
        step = "effective" if result == Result.EFFECTIVE else "reopen"
        CAPA.cascade(obj=c, name=step, actor=actor, reason=comment, changes=changes)
        return made

    return perform(
        actor=actor,
        record=capa,
        check=lambda c: effectiveness_refusal(c, actor),
        meaning=CAPA_EFFECTIVENESS,
        credentials=credentials,
        reason=comment,
        signed=build,
        shown=lambda c: c.signature_content(),
        change=change,
    )


# "SOP-001 rev B", "SOP-001 revision B", "SOP-001 B"
REVISION_NAME = re.compile(r"^\s*(\S+)\s+(?:rev(?:ision)?\.?\s+)?(\S+)\s*$", re.IGNORECASE)


def find_revision(name: str) -> Revision:
    found = REVISION_NAME.match(str(name or ""))
    revision = (
        Revision.objects.filter(
            document__number__iexact=found.group(1), label__iexact=found.group(2)
        ).first()
        if found
        else None
    )
    if revision is None:
        raise InvalidInput(
            f"There is no document revision “{str(name or '')[:50]}” (write it as SOP-001 rev B).",
            fields={"revision": "No such revision."},
        )
    return revision


@audit.writing()
def link_revision(*, actor: User, capa: Capa, revision: str, note: str = "") -> Revision:
    """Record that this CAPA changed a procedure: link it to the new revision ("changed"),
    whose training the CAPA page then follows (and so to retraining)."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, "change CAPAs")
    found = find_revision(revision)
    made = link_records(
        actor=actor, source=capa, target=found, kind="changed", note=long_text(note, "note")
    )
    if made is None:
        raise InvalidInput(
            f"{capa.number} is linked to {found.document.number} rev {found.label} already.",
            fields={"revision": "Linked already."},
        )
    return found


def pack_section(device: Any, start: dt.date, end: dt.date) -> PackSection:
    """The CAPAs of a device opened in the period, or open during it (no health data)."""
    rows = (
        Capa.objects.filter(device=device, opened_at__date__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
        .select_related("owner")
        .order_by("opened_at", "pk")
    )
    found = [
        [
            c.number,
            c.title,
            c.get_capa_type_display(),
            c.get_state_display(),
            timezone.localdate(c.opened_at).isoformat(),
            timezone.localdate(c.closed_at).isoformat() if c.closed_at else "",
            c.root_cause,
            c.get_effectiveness_display(),
        ]
        for c in rows
    ]
    closed = sum(1 for r in found if r[5])
    return PackSection(
        title="CAPAs",
        columns=[
            "Number",
            "Title",
            "Type",
            "State",
            "Opened",
            "Closed",
            "Root cause",
            "Effectiveness",
        ],
        rows=found,
        summary=f"{len(found)} CAPA(s), {closed} closed",
    )
