"""Design changes (ISO 13485 7.3.9): identified, their impact assessed (the items they
affect, the risks, the verification to redo, the regulatory impact), approved by
signature before they are carried out, and recorded when done with the new baseline
they open.

A change with a regulatory impact is linked to the project's device record (core
links, kind "changed"), so the device register shows it, and says that the register and
the scope records must be updated. A change that may touch the QMS scope names the
scope version in force (qms.scope_public), which its approval signs over."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.inputs import flag, long_text, text
from openqms.core.links import link_records
from openqms.core.models import User
from openqms.core.numbers import next_in_year
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow, different_person
from openqms.design.actions.baselines import open_baseline
from openqms.design.models import (
    BaselineKind,
    ChangeState,
    DesignChange,
    DesignProject,
    Item,
)
from openqms.design.registry import DESIGN_CHANGE_APPROVED, EDIT, SIGN
from openqms.qms.scope_public import scope_in_force

REGISTER_NOTE = (
    "Regulatory impact: update the device register and the scope records of the device "
    "(and notify the approved body where the change is significant)."
)


def next_number(year: int) -> str:
    """DC-YYYY-NNNN in order; every writer holds the audit chain's lock (SQLite:
    IMMEDIATE transactions), so two changes never get the same number."""
    return next_in_year(DesignChange.objects.all(), "DC", year)


def _items(
    project: DesignProject, chosen: Sequence[Item], field: str, *, risk: bool = False
) -> list[Item]:
    found = list(Item.objects.filter(pk__in=[i.pk for i in chosen]).select_related("item_type"))
    if any(i.project_id != project.pk for i in found) or len(found) != len({i.pk for i in chosen}):
        raise InvalidInput(f"Choose {field} among this project's items.", fields={field: "?"})
    if risk and any(i.item_type.code != "risk" for i in found):
        raise InvalidInput("Risks are RISK items of the project.", fields={field: "Not a risk."})
    return found


def _uids(items: Sequence[Item]) -> list[str]:
    return sorted(f"{i.uid} v{i.version}" for i in items)


@audit.writing()
def create_change(
    *,
    actor: User,
    project: DesignProject,
    title: str,
    description: str,
    reason: str,
    affected_items: Sequence[Item] = (),
    risk_items: Sequence[Item] = (),
    risk_assessment: str = "",
    reverify_items: Sequence[Item] = (),
    regulatory_impact: Any = False,
    regulatory_text: str = "",
    scope_impact: Any = False,
) -> DesignChange:
    """`scope_impact`: the change may touch the QMS scope (sites, device families,
    processes): the scope version in force is named on the change, and its approval
    signs over it."""
    require(actor, EDIT)
    title = text(title, "title", limit=200)
    description = long_text(description, "description", required=True, limit=20_000)
    reason = long_text(reason, "reason", required=True, limit=20_000)
    risk_assessment = long_text(risk_assessment, "risk assessment", limit=20_000)
    regulatory = flag(regulatory_impact, "regulatory impact")
    regulatory_text = long_text(regulatory_text, "regulatory impact", limit=10_000)
    affected = _items(project, affected_items, "affected_items")
    if not affected:
        raise InvalidInput(
            "Name the items the change affects.", fields={"affected_items": "Empty."}
        )
    risks = _items(project, risk_items, "risk_items", risk=True)
    reverify = _items(project, reverify_items, "reverify_items")
    if not (risks or risk_assessment):
        raise InvalidInput(
            "Assess the risks: name the RISK items it touches or say why none.",
            fields={"risk_assessment": "Required."},
        )
    if regulatory and not regulatory_text:
        raise InvalidInput(
            "Say what the regulatory impact is.", fields={"regulatory_text": "Required."}
        )
    scope = None
    if flag(scope_impact, "QMS scope impact"):
        scope = scope_in_force()
        if scope is None:
            raise InvalidInput(
                "No QMS scope is in force to name: put one in force (QMS › Scope) or "
                "leave the QMS scope impact unticked.",
                fields={"scope_impact": "No scope in force."},
            )
    if regulatory and project.device_id is None:
        raise InvalidInput(
            f"{project} names no device: attach it to its device before recording a "
            "change with a regulatory impact.",
            fields={"regulatory_impact": "No device."},
        )
    now = timezone.now()
    change = DesignChange.objects.create(
        project=project,
        number=next_number(timezone.localdate().year),
        title=title,
        description=description,
        reason=reason,
        risk_assessment=risk_assessment,
        regulatory_impact=regulatory,
        regulatory_text=regulatory_text,
        # What the approval signs, fixed now (see DesignChange).
        affected_versions=_uids(affected),
        risk_versions=_uids(risks),
        reverify_versions=_uids(reverify),
        device_name=str(project.device) if project.device_id else "",
        scope_version=scope,
        created_at=now,
        created_by=actor,
    )
    change.affected_items.set(affected)
    change.risk_items.set(risks)
    change.reverify_items.set(reverify)
    audit.record(
        actor=actor,
        action="design.change.created",
        obj=change,
        changes={
            "number": [None, change.number],
            "title": [None, title],
            "description": [None, description],
            "reason": [None, reason],
            "affected_items": [None, _uids(affected)],
            "risk_items": [None, _uids(risks)],
            "risk_assessment": [None, risk_assessment],
            "reverify_items": [None, _uids(reverify)],
            "regulatory_impact": [None, regulatory],
            "regulatory_text": [None, regulatory_text],
            "qms_scope": [None, str(scope) if scope else None],
        },
    )
    if regulatory:
        link_records(
            actor=actor, source=change, target=project.device, kind="changed", note=REGISTER_NOTE
        )
    return change


CHANGE_FLOW = Workflow(
    model=DesignChange,
    states=ChangeState,
    transitions=[
        Transition(
            "approve",
            sources=(ChangeState.DRAFT,),
            target=ChangeState.APPROVED,
            permission=SIGN,
            signature=DESIGN_CHANGE_APPROVED,
            event="design.change.approved",
            label="Approve the design change",
            guards=(
                different_person("created_by", "Who recorded the change does not approve it."),
            ),
            stamp="approved_at",
        ),
        Transition(
            "done",
            sources=(ChangeState.APPROVED,),
            target=ChangeState.DONE,
            permission=EDIT,
            event="design.change.done",
            label="Mark done and open a new baseline",
            stamp="done_at",
        ),
    ],
)


def approve_change(
    *, actor: User, change: DesignChange, credentials: Credentials | None, comment: str = ""
) -> DesignChange:
    """The QA lead approves the change and its impact assessment by signature (before
    it is carried out)."""
    change = DesignChange.objects.select_related("project__device").get(pk=change.pk)
    return CHANGE_FLOW.apply(
        obj=change, name="approve", actor=actor, credentials=credentials, reason=comment
    )


@audit.writing()
def complete_change(
    *,
    actor: User,
    change: DesignChange,
    baseline_name: str,
    baseline_kind: str = BaselineKind.OTHER,
) -> DesignChange:
    """The approved change is carried out: a new baseline (named by the user) is opened
    from the items as they are now and recorded on the change."""
    change = DesignChange.objects.select_for_update().get(pk=change.pk)
    step = CHANGE_FLOW.get("done")
    error = CHANGE_FLOW.refusal(change, actor, step)
    if error is not None:
        raise error
    baseline = open_baseline(
        actor=actor,
        project=change.project,
        name=baseline_name,
        kind=baseline_kind,
        description=f"Opened when design change {change.number} was done: {change.title}",
    )
    change.new_baseline = baseline
    change.save(update_fields=["new_baseline"])
    # Inside this action's transaction (the baseline is opened in it): the table's
    # `cascade` re-checks the state and guards and writes the step's audit event.
    return CHANGE_FLOW.cascade(
        obj=change,
        name="done",
        actor=actor,
        changes={"new_baseline": [None, baseline.name]},
    )
