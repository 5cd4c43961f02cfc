"""Hazards, hazardous situations and their estimates, risk control measures, and the
residual risk evaluation (ISO 14971 clauses 5–7). Situations and controls are mirrored as
design items (RISK-n, RC-n) in the device's design project, when it has one."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Max
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import choice, count, long_text, text
from openqms.core.models import User
from openqms.design import risk_matrix
from openqms.design.actions import items as design
from openqms.design.actions.risk.files import bump
from openqms.design.models import (
    ControlKind,
    ControlMeasure,
    DesignProject,
    Hazard,
    HazardousSituation,
    Item,
    ProbabilityLevel,
    Region,
    RiskFile,
    SeverityLevel,
)
from openqms.design.registry import EDIT

# design.actions.items' writers are durable transactions of their own; a risk action
# makes its design items inside its own transaction, so it calls their bodies (the same
# checks, audit events and trace refresh) through `__wrapped__`.
_create_item = design.create_item.__wrapped__  # type: ignore[attr-defined]
_link_items = design.link_items.__wrapped__  # type: ignore[attr-defined]


def project_of(file: RiskFile) -> DesignProject | None:
    return DesignProject.objects.filter(device_id=file.device_id).order_by("pk").first()


def next_uid(project: DesignProject, prefix: str) -> str:
    """The next free `<prefix>-<n>` in the project (imports may have used some)."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    uids = Item.objects.filter(project=project, uid__startswith=f"{prefix}-")
    taken = [int(m.group(1)) for u in uids.values_list("uid", flat=True) if (m := pattern.match(u))]
    return f"{prefix}-{max(taken, default=0) + 1}"


def refuse_retired(row: Hazard | HazardousSituation | ControlMeasure, what: str) -> None:
    if row.retired_at is not None:
        raise TransitionNotAllowed(f"{what} is retired: it cannot be changed.")


def short_statement(value: str, limit: int = 120) -> str:
    """The first line of `value`, cut at a word before `limit` characters."""
    line = value.strip().splitlines()[0] if value.strip() else ""
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def situation_item(found: HazardousSituation) -> dict[str, Any]:
    """The RISK-n item's content: titled by the hazardous situation's short statement,
    the sequence of events as its text, the harm and the codes as fields (a title made of
    the harm, repeated in the text, read as "Harm: X — X" on the item pages)."""
    title = short_statement(found.situation)
    text_ = f"Sequence of events: {found.sequence}"
    if title != found.situation.strip():
        text_ += f"\n\nHazardous situation: {found.situation}"
    return {
        "title": title,
        "text_": text_,
        "attributes": {
            "hazard": found.hazard.code,
            "situation": found.code,
            "harm": found.harm,
        },
    }


def control_item(control: ControlMeasure) -> dict[str, Any]:
    """The RC-n item's content: the description's first line as its title."""
    return {
        "title": short_statement(control.description, 300),
        "text_": control.description,
        "attributes": {
            "control type": control.get_kind_display(),
            "situation": control.situation.code,
        },
    }


def _rank(file: RiskFile, model: Any, value: Any, field: str) -> int:
    rank = count(value, field, limit=100)
    if not model.objects.filter(file=file, rank=rank).exists():
        raise InvalidInput(
            f"Level {rank} is not on this risk file's scale.", fields={field: "Not on the scale."}
        )
    return rank


def estimate(
    file: RiskFile, severity: Any, probability: Any, p1: Any, p2: Any, prefix: str = ""
) -> dict[str, Any]:
    """Severity and probability (given alone, or as P1 × P2 combined by
    risk_matrix.combine) checked against the file's scales, and the region."""
    s = _rank(file, SeverityLevel, severity, f"{prefix}severity")
    given_split = p1 not in (None, "") or p2 not in (None, "")
    if given_split and probability not in (None, ""):
        raise InvalidInput(
            "Give either P1 and P2 or a single probability, not both.",
            fields={f"{prefix}probability": "Either."},
        )
    if given_split:
        a = _rank(file, ProbabilityLevel, p1, f"{prefix}p1")
        b = _rank(file, ProbabilityLevel, p2, f"{prefix}p2")
        p: int = risk_matrix.combine(a, b)
        split: tuple[int | None, int | None] = (a, b)
    else:
        p = _rank(file, ProbabilityLevel, probability, f"{prefix}probability")
        split = (None, None)
    return {
        "severity": s,
        "p1": split[0],
        "p2": split[1],
        "probability": p,
        "region": risk_matrix.region(file, s, p),
    }


@audit.writing()
def add_hazard(*, actor: User, file: RiskFile, title: Any, category: Any = "") -> Hazard:
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=file.pk)
    fields = {
        "title": text(title, "title"),
        "category": text(category, "category", required=False, limit=100),
    }
    last = Hazard.objects.filter(file=file).aggregate(n=Max("number"))["n"] or 0
    hazard = Hazard.objects.create(
        file=file, number=last + 1, created_at=timezone.now(), created_by=actor, **fields
    )
    report = bump(file)
    audit.record(
        actor=actor,
        action="design.hazard.added",
        obj=hazard,
        changes={
            "number": [None, hazard.code],
            **{k: [None, v] for k, v in fields.items()},
            **report,
        },
    )
    return hazard


@audit.writing()
def add_situation(
    *,
    actor: User,
    hazard: Hazard,
    sequence: Any,
    situation: Any,
    harm: Any,
    severity: Any,
    probability: Any = None,
    p1: Any = None,
    p2: Any = None,
    change: Any = None,
) -> HazardousSituation:
    """A hazardous situation of `hazard` with its estimate before controls; also a design
    item of type "risk" in the device's design project, when it has one (after release
    added as part of the approved design change `change`)."""
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=hazard.file_id)
    hazard = Hazard.objects.get(pk=hazard.pk)
    refuse_retired(hazard, hazard.code)
    fields = {
        "sequence": long_text(sequence, "sequence", required=True),
        "situation": long_text(situation, "situation", required=True),
        "harm": text(harm, "harm", limit=300),
        **estimate(file, severity, probability, p1, p2),
    }
    last = HazardousSituation.objects.filter(file=file).aggregate(n=Max("number"))["n"] or 0
    found = HazardousSituation(
        hazard=hazard, file=file, number=last + 1, created_at=timezone.now(), created_by=actor
    )
    for name, value in fields.items():
        setattr(found, name, value)
    project = project_of(file)
    if project is not None:
        found.item = _create_item(
            actor=actor,
            project=project,
            uid=next_uid(project, "RISK"),
            item_type="risk",
            change=change,
            **situation_item(found),
        )
    found.save()
    report = bump(file)
    audit.record(
        actor=actor,
        action="design.risk_situation.added",
        obj=found,
        changes={
            "number": [None, found.code],
            "hazard": [None, hazard.code],
            **{k: [None, v] for k, v in fields.items()},
            "item": [None, found.item.uid if found.item else None],
            **report,
        },
    )
    return found


@audit.writing()
def estimate_residual(
    *,
    actor: User,
    situation: HazardousSituation,
    severity: Any,
    probability: Any = None,
    p1: Any = None,
    p2: Any = None,
) -> HazardousSituation:
    """The estimate after the controls (residual risk, ISO 14971 7.3). A new estimate
    withdraws an earlier evaluation: it must be evaluated again."""
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=situation.file_id)
    found = HazardousSituation.objects.select_for_update().get(pk=situation.pk)
    refuse_retired(found, found.code)
    after = {
        f"residual_{k}": v
        for k, v in estimate(file, severity, probability, p1, p2, "residual_").items()
    }
    before = {name: getattr(found, name) for name in after}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput(f"The residual estimate of {found.code} is unchanged.")
    if found.evaluated_at is not None:
        changes["evaluated"] = [True, False]
    for name, value in after.items():
        setattr(found, name, value)
    found.evaluated_at, found.evaluated_by = None, None
    found.save()
    report = bump(file)
    audit.record(
        actor=actor, action="design.risk_situation.estimated", obj=found, changes=changes | report
    )
    return found


@audit.writing()
def evaluate_situation(
    *, actor: User, situation: HazardousSituation, benefit_risk: Any = ""
) -> HazardousSituation:
    """The residual risk evaluated: acceptable, or, when it is not, a benefit-risk
    analysis that the medical benefits outweigh it (ISO 14971 7.4) — required then."""
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=situation.file_id)
    found = HazardousSituation.objects.select_for_update().get(pk=situation.pk)
    refuse_retired(found, found.code)
    if found.residual_probability is None:
        raise TransitionNotAllowed(f"Estimate the residual risk of {found.code} first.")
    analysis = long_text(benefit_risk, "benefit_risk")
    if found.residual_region != Region.ACCEPTABLE and not analysis:
        raise InvalidInput(
            f"The residual risk of {found.code} is {found.get_residual_region_display()}: "
            "give the benefit-risk analysis.",
            fields={"benefit_risk": "Required when the residual risk is not acceptable."},
        )
    changes = audit.diff({"benefit_risk": found.benefit_risk}, {"benefit_risk": analysis})
    changes["residual_region"] = [None, found.residual_region]
    found.benefit_risk, found.evaluated_at, found.evaluated_by = analysis, timezone.now(), actor
    found.save(update_fields=["benefit_risk", "evaluated_at", "evaluated_by"])
    report = bump(file)
    audit.record(
        actor=actor, action="design.risk_situation.evaluated", obj=found, changes=changes | report
    )
    return found


@audit.writing()
def add_control(
    *,
    actor: User,
    situation: HazardousSituation,
    kind: Any,
    description: Any,
    change: Any = None,
) -> ControlMeasure:
    """A risk control measure; also a design item "risk_control" that mitigates the
    situation's risk item, so design inputs/outputs can implement it and tests verify it."""
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=situation.file_id)
    found = HazardousSituation.objects.select_related("item").get(pk=situation.pk)
    refuse_retired(found, found.code)
    fields = {
        "kind": choice(kind, ControlKind, "kind"),
        "description": long_text(description, "description", required=True),
    }
    control = ControlMeasure(situation=found, created_at=timezone.now(), created_by=actor, **fields)
    if found.item is not None:
        project = found.item.project
        control.item = _create_item(
            actor=actor,
            project=project,
            uid=next_uid(project, "RC"),
            item_type="risk_control",
            change=change,
            **control_item(control),
        )
        _link_items(
            actor=actor, source=control.item, kind="mitigates", target=found.item, change=change
        )
    control.save()
    report = bump(file)
    audit.record(
        actor=actor,
        action="design.risk_control.added",
        obj=control,
        changes={
            "situation": [None, found.code],
            **{k: [None, v] for k, v in fields.items()},
            "item": [None, control.item.uid if control.item else None],
            **report,
        },
    )
    return control
