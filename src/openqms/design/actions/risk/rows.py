"""Editing and retiring the rows of the risk analysis: hazards, hazardous situations and
risk control measures. A retired row is kept (the file's history and the signed
revisions name it), shown as retired, and left out of the FMEA, the counts and the
report. The design items of situations and controls (RISK-n, RC-n) follow through the
items path: an edit is a new version of the item (its links become suspect), retiring a
row retires its item."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.inputs import choice, long_text, text
from openqms.core.models import User
from openqms.design.actions import items as design
from openqms.design.actions.risk.analysis import (
    control_item,
    estimate,
    refuse_retired,
    situation_item,
)
from openqms.design.actions.risk.files import bump
from openqms.design.models import (
    ControlKind,
    ControlMeasure,
    DesignChange,
    Hazard,
    HazardousSituation,
    Item,
    ItemState,
    RiskFile,
)
from openqms.design.registry import EDIT

# The items path's bodies, inside this action's transaction (see analysis.py).
_edit_item = design.edit_item.__wrapped__  # type: ignore[attr-defined]
_retire_item = design.retire_item.__wrapped__  # type: ignore[attr-defined]


def _sync_item(
    actor: User, item: Item | None, content: dict[str, Any], reason: str, change: Any
) -> list | None:
    """A new version of `item` when its content differs from `content` (with the edit's
    reason, and the design change it is part of: required once the project's current
    baseline is signed, as for any item); the change of version for the caller's audit
    event, or None when the item is as it should be."""
    if item is None:
        return None
    item = Item.objects.get(pk=item.pk)
    now = {"title": item.title, "text_": item.text, "attributes": item.attributes}
    wanted = {**content, "attributes": {k: str(v) for k, v in content["attributes"].items()}}
    if now == wanted:
        return None
    edited = _edit_item(
        actor=actor, item=item, reason=reason, change=_change_of(item, change), **content
    )
    return [f"{item.uid} v{item.version}", f"{edited.uid} v{edited.version}"]


def _retire_item_of(actor: User, item: Item | None, reason: str, change: Any) -> str | None:
    if item is None or Item.objects.get(pk=item.pk).state == ItemState.RETIRED:
        return None
    return _retire_item(actor=actor, item=item, reason=reason, change=_change_of(item, change)).uid


def _reason(value: Any) -> str:
    return text(value, "reason", limit=500)


def _change_of(item: Item, change: Any) -> DesignChange | None:
    """The design change a form or the API names (its id), of the item's project."""
    if change in (None, ""):
        return None
    if isinstance(change, DesignChange):
        return change
    found = DesignChange.objects.filter(
        pk=int(change) if str(change).isdigit() else 0, project_id=item.project_id
    ).first()
    if found is None:
        raise InvalidInput(
            "Choose one of the project's open design changes.", fields={"change": "Unknown."}
        )
    return found


@audit.writing()
def edit_hazard(
    *, actor: User, hazard: Hazard, title: Any, reason: Any, category: Any = ""
) -> Hazard:
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=hazard.file_id)
    found = Hazard.objects.select_for_update().get(pk=hazard.pk)
    refuse_retired(found, found.code)
    after = {
        "title": text(title, "title"),
        "category": text(category, "category", required=False, limit=100),
    }
    changes = audit.diff({k: getattr(found, k) for k in after}, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in {found.code}.")
    for name, value in after.items():
        setattr(found, name, value)
    found.save(update_fields=list(after))
    audit.record(
        actor=actor,
        action="design.hazard.edited",
        obj=found,
        changes=changes | bump(file),
        reason=why,
    )
    return found


@audit.writing()
def edit_situation(
    *,
    actor: User,
    situation: HazardousSituation,
    sequence: Any,
    statement: Any,
    harm: Any,
    severity: Any,
    probability: Any = None,
    reason: Any,
    p1: Any = None,
    p2: Any = None,
    change: Any = None,
) -> HazardousSituation:
    """The situation's description and its estimate before controls. Its evaluation
    concluded on the situation as it was, so a changed situation is evaluated again;
    its RISK item gets a new version."""
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=situation.file_id)
    rows = HazardousSituation.objects.select_for_update(of=("self",)).select_related(
        "hazard", "item"
    )
    found = rows.get(pk=situation.pk)
    refuse_retired(found, found.code)
    after = {
        "sequence": long_text(sequence, "sequence", required=True),
        "situation": long_text(statement, "situation", required=True),
        "harm": text(harm, "harm", limit=300),
        **estimate(file, severity, probability, p1, p2),
    }
    changes = audit.diff({k: getattr(found, k) for k in after}, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in {found.code}.")
    for name, value in after.items():
        setattr(found, name, value)
    if found.evaluated_at is not None:
        changes["evaluated"] = [True, False]
    found.evaluated_at, found.evaluated_by = None, None
    found.save(update_fields=[*after, "evaluated_at", "evaluated_by"])
    if version := _sync_item(actor, found.item, situation_item(found), why, change):
        changes["item"] = version
    audit.record(
        actor=actor,
        action="design.risk_situation.edited",
        obj=found,
        changes=changes | bump(file),
        reason=why,
    )
    return found


@audit.writing()
def edit_control(
    *,
    actor: User,
    control: ControlMeasure,
    kind: Any,
    description: Any,
    reason: Any,
    change: Any = None,
) -> ControlMeasure:
    """The control's type and description; its RC item gets a new version."""
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=control.situation.file_id)
    rows = ControlMeasure.objects.select_for_update(of=("self",)).select_related(
        "situation", "item"
    )
    found = rows.get(pk=control.pk)
    label = found.item.uid if found.item else f"The control of {found.situation.code}"
    refuse_retired(found.situation, found.situation.code)
    refuse_retired(found, label)
    after = {
        "kind": choice(kind, ControlKind, "kind"),
        "description": long_text(description, "description", required=True),
    }
    changes = audit.diff({k: getattr(found, k) for k in after}, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in {label}.")
    found.kind, found.description = after["kind"], after["description"]
    found.save(update_fields=list(after))
    if version := _sync_item(actor, found.item, control_item(found), why, change):
        changes["item"] = version
    audit.record(
        actor=actor,
        action="design.risk_control.edited",
        obj=found,
        changes=changes | bump(file),
        reason=why,
    )
    return found


def _retire_control(
    actor: User, found: ControlMeasure, reason: str, report: dict, change: Any
) -> None:
    found.retired_at, found.retire_reason = timezone.now(), reason
    found.save(update_fields=["retired_at", "retire_reason"])
    residual = _withdraw_residual(found.situation)
    audit.record(
        actor=actor,
        action="design.risk_control.retired",
        obj=found,
        changes={
            "retired": [False, True],
            "situation": [None, found.situation.code],
            "item": [None, _retire_item_of(actor, found.item, reason, change)],
            **residual,
            **report,
        },
        reason=reason,
    )


def _withdraw_residual(situation: HazardousSituation) -> dict[str, list]:
    """The residual estimate counted on the retired control: withdrawn with it, so the
    page shows no stale "acceptable" until the risk is estimated again (the change of
    region for the control's event)."""
    row = HazardousSituation.objects.get(pk=situation.pk)
    if row.residual_region in (None, ""):
        return {}
    was = row.residual_region
    row.residual_severity = row.residual_p1 = row.residual_p2 = None
    row.residual_probability, row.residual_region = None, ""
    row.save(
        update_fields=[
            "residual_severity",
            "residual_p1",
            "residual_p2",
            "residual_probability",
            "residual_region",
        ]
    )
    return {"residual_region": [was, None]}


def _retire_situation(
    actor: User, found: HazardousSituation, reason: str, report: dict, change: Any
) -> None:
    """The situation, its active controls and their items, and its own item."""
    controls = found.controls.select_for_update(of=("self",)).filter(retired_at__isnull=True)
    retired_controls = []
    for control in controls.select_related("item").order_by("pk"):
        control.situation = found
        _retire_control(actor, control, reason, {}, change)
        retired_controls.append(control.item.uid if control.item else f"control {control.pk}")
    found.retired_at, found.retire_reason = timezone.now(), reason
    found.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="design.risk_situation.retired",
        obj=found,
        changes={
            "retired": [False, True],
            "item": [None, _retire_item_of(actor, found.item, reason, change)],
            "controls": [None, retired_controls or None],
            **report,
        },
        reason=reason,
    )


@audit.writing()
def retire_situation(
    *, actor: User, situation: HazardousSituation, reason: Any, change: Any = None
) -> HazardousSituation:
    """A situation no longer part of the analysis (e.g. the design removed its cause):
    it and its controls are retired, with their design items."""
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=situation.file_id)
    rows = HazardousSituation.objects.select_for_update(of=("self",)).select_related(
        "item", "hazard"
    )
    found = rows.get(pk=situation.pk)
    refuse_retired(found, found.code)
    _retire_situation(actor, found, why, bump(file), change)
    return found


@audit.writing()
def retire_hazard(*, actor: User, hazard: Hazard, reason: Any, change: Any = None) -> Hazard:
    """A hazard no longer part of the analysis: it and every situation of it (with their
    controls and design items) are retired."""
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=hazard.file_id)
    found = Hazard.objects.select_for_update().get(pk=hazard.pk)
    refuse_retired(found, found.code)
    situations = HazardousSituation.objects.select_for_update(of=("self",)).select_related("item")
    retired = []
    for situation in situations.filter(hazard=found, retired_at__isnull=True).order_by("number"):
        situation.hazard = found
        _retire_situation(actor, situation, why, {}, change)
        retired.append(situation.code)
    found.retired_at, found.retire_reason = timezone.now(), why
    found.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="design.hazard.retired",
        obj=found,
        changes={"retired": [False, True], "situations": [None, retired or None]} | bump(file),
        reason=why,
    )
    return found


@audit.writing()
def retire_control(
    *, actor: User, control: ControlMeasure, reason: Any, change: Any = None
) -> ControlMeasure:
    """A control no longer relied on: retired with its RC item. The situation's residual
    risk was estimated with it, so its evaluation is withdrawn: estimate and evaluate the
    residual risk again (the report cannot be signed until then)."""
    require(actor, EDIT)
    why = _reason(reason)
    file = RiskFile.objects.select_for_update().get(pk=control.situation.file_id)
    rows = ControlMeasure.objects.select_for_update(of=("self",)).select_related(
        "situation", "item"
    )
    found = rows.get(pk=control.pk)
    refuse_retired(found.situation, found.situation.code)
    refuse_retired(found, found.item.uid if found.item else "This control")
    situation = HazardousSituation.objects.select_for_update().get(pk=found.situation_id)
    again = {}
    if situation.evaluated_at is not None:
        situation.evaluated_at, situation.evaluated_by = None, None
        situation.save(update_fields=["evaluated_at", "evaluated_by"])
        again = {"to_evaluate_again": [None, situation.code]}
    _retire_control(actor, found, why, again | bump(file), change)
    return found
