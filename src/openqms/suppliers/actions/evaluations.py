"""Evaluations and their signed decisions (ISO 13485 7.4.1).

An evaluation scores every active criterion 1–5 and recommends a decision; someone
other than the evaluator, holding suppliers.evaluation:approve, signs the decision
through core's signed-step path (create-and-sign: the Decision row is built, saved under
the lock and signed, bound to the evaluation the signer was shown). The decision sets
the supplier's status and its next re-evaluation date. A later decision is a new
evaluation, never an edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission, require
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.workflow import Transition, Workflow
from openqms.suppliers.actions.common import long_text, next_evaluation, not_retired
from openqms.suppliers.errors import EvaluationOpen
from openqms.suppliers.models import (
    DECISIONS,
    Criterion,
    Decision,
    Evaluation,
    EvaluationState,
    Score,
    Supplier,
)
from openqms.suppliers.registry import APPROVE, DECIDED, MANAGE

E = EvaluationState
EVALUATION = Workflow(
    model=Evaluation,
    states=EvaluationState,
    transitions=[
        # Taken inside the signed decision (decide_evaluation), never on its own.
        Transition(
            "decide",
            sources=(E.AWAITING,),
            target=E.DECIDED,
            permission=APPROVE,
            event="suppliers.evaluation.decided",
            label="Decide",
            cascade=True,
        ),
        Transition(
            "withdraw",
            sources=(E.AWAITING,),
            target=E.WITHDRAWN,
            permission=MANAGE,
            event="suppliers.evaluation.withdrawn",
            label="Withdraw",
            reason_required=True,
        ),
    ],
)


def _scores(scores: Mapping[str, Any]) -> list[tuple[Criterion, int, str]]:
    """{criterion code: (score, comment)} for every active criterion, checked."""
    criteria = list(Criterion.objects.filter(active=True))
    unknown = set(scores) - {c.code for c in criteria}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"There is no criterion “{name}”.", fields={f"score_{name}": "Unknown."})
    rows = []
    for c in criteria:
        score, comment = scores.get(c.code, (None, ""))
        if score not in (1, 2, 3, 4, 5):
            raise InvalidInput(
                f"Score “{c.name}” from 1 to 5.", fields={f"score_{c.code}": "A score from 1 to 5."}
            )
        rows.append((c, score, long_text(comment, f"comment_{c.code}")))
    return rows


@audit.writing()
def record_evaluation(
    *,
    actor: User,
    supplier: Supplier,
    scores: Mapping[str, Any],
    recommendation: str,
    summary: str = "",
) -> Evaluation:
    require(actor, MANAGE)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    not_retired(supplier, supplier.name)
    if recommendation not in DECISIONS:
        raise InvalidInput(
            "Recommend approved, conditional or disqualified.",
            fields={"recommendation": "Choose a decision."},
        )
    rows = _scores(scores)
    summary = long_text(summary, "summary")
    if supplier.evaluations.filter(state=E.AWAITING).exists():
        raise EvaluationOpen(f"{supplier.name} has an evaluation awaiting its decision already.")
    try:
        evaluation = Evaluation.objects.create(
            supplier=supplier,
            evaluator=actor,
            evaluated_at=timezone.now(),
            summary=summary,
            recommendation=recommendation,
        )
    except IntegrityError:  # a parallel evaluation won the race
        raise EvaluationOpen(f"{supplier.name} has an evaluation awaiting its decision.") from None
    Score.objects.bulk_create(
        Score(evaluation=evaluation, criterion=c, score=s, comment=t) for c, s, t in rows
    )
    audit.record(
        actor=actor,
        action="suppliers.evaluation.recorded",
        obj=evaluation,
        changes={
            "supplier": [None, supplier.name],
            "state": [None, E.AWAITING],
            "recommendation": [None, recommendation],
            "summary": [None, summary],
            "scores": [None, {c.code: [s, t] for c, s, t in rows}],
        },
    )
    return evaluation


def withdraw_evaluation(*, actor: User, evaluation: Evaluation, reason: str) -> Evaluation:
    return EVALUATION.apply(obj=evaluation, name="withdraw", actor=actor, reason=reason)


def decision_refusal(evaluation: Evaluation, actor: User) -> DomainError | None:
    """Why `actor` may not decide `evaluation` now, or None (pages, API and My tasks ask)."""
    if evaluation.state != E.AWAITING:
        return TransitionNotAllowed(f"This evaluation is {evaluation.get_state_display()}.")
    if not has_permission(actor, APPROVE):
        return PermissionRefused("You need the permission to sign supplier decisions.")
    if evaluation.evaluator_id == actor.pk:
        # 7.4.1 records of evaluation: segregation of duties, as for documents.
        return TransitionNotAllowed(
            "The evaluator cannot sign the decision on their own evaluation."
        )
    if evaluation.supplier.retired_at is not None:
        return TransitionNotAllowed(f"{evaluation.supplier.name} is retired.")
    return None


def _decision_fields(decision: str, conditions: str, reason: str) -> tuple[str, str, str]:
    if decision not in DECISIONS:
        raise InvalidInput(
            "Decide approved, conditional or disqualified.", fields={"decision": "Choose one."}
        )
    conditions = long_text(conditions, "conditions", required=decision == "conditional")
    reason = long_text(reason, "reason", required=decision == "disqualified")
    return decision, conditions, reason


def decide_evaluation(
    *,
    actor: User,
    evaluation: Evaluation,
    decision: str,
    credentials: Credentials | None,
    conditions: str = "",
    reason: str = "",
    comment: str = "",
) -> Decision:
    decision, conditions, reason = _decision_fields(decision, conditions, reason)

    def build(ev: Evaluation) -> Decision:
        today = timezone.localdate()
        return Decision(
            evaluation=ev,
            decision=decision,
            conditions=conditions,
            reason=reason,
            decided_by=actor,
            decided_on=today,
            next_evaluation=next_evaluation(today, ev.supplier.criticality, decision),
        )

    def change(locked: Evaluation, made: Decision) -> Decision:
        EVALUATION.cascade(
            obj=locked,
            name="decide",
            actor=actor,
            reason=comment,
            changes={
                "decision": [None, decision],
                "conditions": [None, conditions],
                "reason": [None, reason],
                "next_evaluation": [None, made.next_evaluation],
            },
        )
        _set_status(actor, locked, made)
        return made

    return perform(
        actor=actor,
        record=evaluation,
        check=lambda ev: decision_refusal(ev, actor),
        meaning=DECIDED,
        credentials=credentials,
        reason=comment,
        signed=build,
        shown=lambda ev: ev.signature_content(),
        change=change,
        queryset=Evaluation.objects.select_related("supplier", "evaluator"),
    )


def _set_status(actor: User, evaluation: Evaluation, made: Decision) -> None:
    """The decision sets the supplier's status and its next re-evaluation date."""
    supplier = Supplier.objects.select_for_update().get(pk=evaluation.supplier_id)
    after = {
        "status": made.decision,
        "conditions": made.conditions,
        "decided_on": made.decided_on,
        "next_evaluation": made.next_evaluation,
    }
    changes = audit.diff({k: getattr(supplier, k) for k in after}, after)
    for field, value in after.items():
        setattr(supplier, field, value)
    supplier.save(update_fields=list(after))
    audit.record(
        actor=actor,
        action="suppliers.supplier.status_set",
        obj=supplier,
        # The status is always recorded (reconcile reads it), changed or not.
        changes=changes
        | {"status": [changes.get("status", [supplier.status])[0], made.decision]}
        | {"evaluation": evaluation.pk},
    )
