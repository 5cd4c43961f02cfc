"""The risk file, its acceptability criteria (configuration audited like any change) and
the signed risk management report."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.inputs import choice, count, flag, long_text, text
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.design import risk_matrix
from openqms.design.models import (
    HazardousSituation,
    MatrixCell,
    ProbabilityLevel,
    Region,
    ReportState,
    RiskFile,
    RiskReview,
    SeverityLevel,
)
from openqms.design.registry import CONFIGURE, EDIT, RISK_REPORT_SIGNED, SIGN
from openqms.devices.models import Device
from openqms.documents.access import visible_documents
from openqms.documents.models import Document

SCALES: dict[str, type[SeverityLevel] | type[ProbabilityLevel]] = {
    "severity": SeverityLevel,
    "probability": ProbabilityLevel,
}


def bump(file: RiskFile) -> dict[str, list]:
    """The file's content changed: its revision goes up (a signature names the revision
    it saw), and a signed report is open again. The change to add to the caller's audit
    event (empty when the report was not signed)."""
    RiskFile.objects.filter(pk=file.pk).update(revision=F("revision") + 1)
    file.refresh_from_db(fields=["revision", "state"])
    return reopen_report(file)


def reopen_report(file: RiskFile) -> dict[str, list]:
    """ISO 14971 clause 9: the report concludes on the file as it was signed; once the
    file changes the report no longer stands and must be signed again. The signature of
    the earlier revision stays (it names that revision). Recorded in the caller's audit
    event, in the same transaction."""
    if file.state != ReportState.SIGNED:
        return {}
    RiskFile.objects.filter(pk=file.pk).update(state=ReportState.OPEN)
    file.state = ReportState.OPEN
    return {"report": [ReportState.SIGNED.value, ReportState.OPEN.value]}


def _plan(actor: User, value: Any) -> Document | None:
    """The plan, chosen among the documents `actor` may open (by number or instance)."""
    if value in (None, ""):
        return None
    number = value.number if isinstance(value, Document) else str(value).strip()
    found = visible_documents(actor).filter(number=number).first()
    if found is None:
        raise InvalidInput(
            f"There is no document “{number[:40]}” you can open.", fields={"plan": "Unknown."}
        )
    return found


@audit.writing()
def create_risk_file(*, actor: User, device: Device, plan: Any = None) -> RiskFile:
    """The risk file of `device`, seeded with the default 5 × 5 acceptability criteria."""
    require(actor, EDIT)
    if RiskFile.objects.filter(device=device).exists():
        raise InvalidInput(f"{device} has a risk file already.", fields={"device": "Taken."})
    document = _plan(actor, plan)
    file = RiskFile.objects.create(
        device=device,
        device_name=str(device),
        plan=document,
        created_at=timezone.now(),
        created_by=actor,
    )
    SeverityLevel.objects.bulk_create(
        SeverityLevel(file=file, rank=r, name=n, description=d)
        for r, n, d in risk_matrix.DEFAULT_SEVERITIES
    )
    ProbabilityLevel.objects.bulk_create(
        ProbabilityLevel(file=file, rank=r, name=n, description=d)
        for r, n, d in risk_matrix.DEFAULT_PROBABILITIES
    )
    cells = [
        MatrixCell(file=file, severity=s, probability=p, region=risk_matrix.default_region(s, p))
        for s, _, _ in risk_matrix.DEFAULT_SEVERITIES
        for p, _, _ in risk_matrix.DEFAULT_PROBABILITIES
    ]
    MatrixCell.objects.bulk_create(cells)
    audit.record(
        actor=actor,
        action="design.risk_file.created",
        obj=file,
        changes={
            "device": [None, str(device)],
            "plan": [None, document.number if document else None],
            "severities": [None, [n for _, n, _ in risk_matrix.DEFAULT_SEVERITIES]],
            "probabilities": [None, [n for _, n, _ in risk_matrix.DEFAULT_PROBABILITIES]],
            "matrix": [None, {f"S{c.severity}P{c.probability}": c.region for c in cells}],
        },
    )
    return file


@audit.writing()
def edit_risk_file(
    *, actor: User, file: RiskFile, plan: Any = None, overall_residual_risk: Any = ""
) -> RiskFile:
    """The plan and the overall residual risk statement (ISO 14971 clause 8)."""
    require(actor, EDIT)
    file = RiskFile.objects.select_for_update().get(pk=file.pk)
    document = _plan(actor, plan)
    statement = long_text(overall_residual_risk, "overall_residual_risk")
    after = {
        "plan": document.number if document else None,
        "overall_residual_risk": statement,
    }
    before = {
        "plan": file.plan.number if file.plan_id and file.plan else None,
        "overall_residual_risk": file.overall_residual_risk,
    }
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput("Nothing changed in the risk file.")
    changes |= reopen_report(file)
    file.plan, file.overall_residual_risk = document, statement
    file.revision += 1
    file.save(update_fields=["plan", "overall_residual_risk", "revision"])
    audit.record(actor=actor, action="design.risk_file.edited", obj=file, changes=changes)
    return file


def _rank(file: RiskFile, scale: str, value: Any, field: str) -> int:
    rank = count(value, field, limit=100)
    if not SCALES[scale]._default_manager.filter(file=file, rank=rank).exists():
        raise InvalidInput(
            f"There is no {scale} level {rank} on this risk file's scale.",
            fields={field: "Not on the scale."},
        )
    return rank


@audit.writing()
def set_level(
    *, actor: User, file: RiskFile, scale: str, rank: Any, name: Any, description: Any = ""
) -> None:
    """Rename or redescribe one level of the severity or probability scale."""
    require(actor, CONFIGURE)
    if scale not in SCALES:
        raise InvalidInput("The scale is severity or probability.", fields={"scale": "?"})
    rank = _rank(file, scale, rank, "rank")
    level = SCALES[scale]._default_manager.select_for_update().get(file=file, rank=rank)
    after = {
        "name": text(name, "name", limit=60),
        "description": text(description, "description", required=False, limit=300),
    }
    changes = audit.diff({"name": level.name, "description": level.description}, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in {scale} level {rank}.")
    level.name, level.description = after["name"], after["description"]
    level.save(update_fields=["name", "description"])
    report = bump(file)
    audit.record(
        actor=actor,
        action="design.risk_scale.changed",
        obj=file,
        changes={f"{scale}_{rank}_{k}": v for k, v in changes.items()} | report,
    )


@audit.writing()
def set_matrix_cell(
    *, actor: User, file: RiskFile, severity: Any, probability: Any, region: Any
) -> list[str]:
    """Change one cell of the acceptability matrix. Allowed after the report is signed,
    audited, and every risk is re-evaluated under it: each situation's regions are
    recomputed, and one whose residual region changed needs its evaluation again. The
    codes of the situations that need it."""
    require(actor, CONFIGURE)
    s = _rank(file, "severity", severity, "severity")
    p = _rank(file, "probability", probability, "probability")
    new = choice(region, Region, "region")
    cell = MatrixCell.objects.select_for_update().get(file=file, severity=s, probability=p)
    if cell.region == new:
        raise InvalidInput(f"S{s} × P{p} is {cell.get_region_display()} already.")
    old, cell.region = cell.region, new
    cell.save(update_fields=["region"])
    report = bump(file)
    reopened = reevaluate(file)
    audit.record(
        actor=actor,
        action="design.risk_matrix.changed",
        obj=file,
        changes={f"S{s}P{p}": [old, new], "to_evaluate_again": [None, reopened or None]} | report,
    )
    return reopened


def reevaluate(file: RiskFile) -> list[str]:
    """Recompute every situation's regions under the file's matrix (one read of the
    matrix); the codes of those whose residual region changed (their evaluation is
    withdrawn: they must be evaluated again)."""
    matrix = risk_matrix.regions(file)
    reopened = []
    active = HazardousSituation.objects.filter(file=file, retired_at__isnull=True)
    for situation in active.select_for_update():
        before = situation.region
        situation.region = matrix.get(
            (situation.severity, situation.probability), Region.UNACCEPTABLE
        )
        residual = situation.residual_region
        if situation.residual_severity is not None and situation.residual_probability is not None:
            situation.residual_region = matrix.get(
                (situation.residual_severity, situation.residual_probability), Region.UNACCEPTABLE
            )
        if residual != situation.residual_region and situation.evaluated_at is not None:
            situation.evaluated_at, situation.evaluated_by = None, None
            reopened.append(situation.code)
        if before != situation.region or residual != situation.residual_region:
            situation.save(
                update_fields=["region", "residual_region", "evaluated_at", "evaluated_by"]
            )
    return reopened


def report_refusal(file: RiskFile, actor: Any = None) -> str | None:
    """Why the risk management report cannot be signed yet, or None (ISO 14971 clause 9:
    every risk evaluated, none unacceptable without a benefit-risk analysis, no risk
    review open; ISO 14971 10.4: the file reflects production and post-production
    information before the report concludes on it). Retired situations are left out."""
    situations = HazardousSituation.objects.filter(file=file, retired_at__isnull=True)
    if not situations.exists():
        return "The risk file has no hazardous situations yet."
    open_ones = list(
        situations.filter(evaluated_at__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if open_ones:
        codes = ", ".join(f"HS-{n:03d}" for n in open_ones[:10])
        return f"Evaluate the residual risk of every hazardous situation first ({codes})."
    unjustified = situations.exclude(residual_region=Region.ACCEPTABLE).filter(benefit_risk="")
    if unjustified.exists():
        return "A residual risk that is not acceptable needs its benefit-risk analysis."
    if not file.overall_residual_risk.strip():
        return "State the overall residual risk on the risk file first."
    reviews = RiskReview.objects.filter(file=file, closed_at__isnull=True).count()
    if reviews:
        return f"Close the open risk reviews first ({reviews} open)."
    return None


def _signable(file: RiskFile, actor: Any) -> str | None:
    return report_refusal(file)


def _note_signed_revision(file: RiskFile, actor: Any) -> dict:
    """Under the step's lock: which revision this signature covers (the page names it
    when a later change opens the report again), and the facts the signer was shown and
    signed over (stored: the signature covers them as they were)."""
    facts = file.signature_content()["facts"]
    file.report_signed_revision, file.report_facts_signed = file.revision, facts
    file.save(update_fields=["report_signed_revision", "report_facts_signed"])
    return {"report_signed_revision": [None, file.revision], "facts": [None, facts]}


REPORT = Workflow(
    model=RiskFile,
    states=ReportState,
    transitions=[
        # Signed again after later changes (the signature names the revision it saw).
        Transition(
            "sign",
            sources=(ReportState.OPEN, ReportState.SIGNED),
            target=ReportState.SIGNED,
            permission=SIGN,
            signature=RISK_REPORT_SIGNED,
            event="design.risk_report.signed",
            label="Sign the risk management report",
            guards=(_signable,),
            before=(_note_signed_revision,),
            stamp="report_signed_at",
        ),
    ],
)


def sign_report(
    *,
    actor: User,
    file: RiskFile,
    credentials: Credentials | None,
    conclusion: Any,
    residual_acceptable: Any,
    plan_followed: Any,
) -> RiskFile:
    """The risk management report as a signed record: the conclusion, whether the
    overall residual risk is acceptable, whether the plan was followed."""
    updates = {
        "report_conclusion": long_text(conclusion, "conclusion", required=True),
        "report_residual_acceptable": flag(residual_acceptable, "residual_acceptable"),
        "report_plan_followed": flag(plan_followed, "plan_followed"),
    }
    return REPORT.apply(
        obj=RiskFile.objects.select_related("device").get(pk=file.pk),
        name="sign",
        actor=actor,
        credentials=credentials,
        updates=updates,
        sign_updates=True,
    )
