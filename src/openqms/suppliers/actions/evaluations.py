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


# Walk finding 11: approving against the scores is refused unless the summary justifies
# it. A refusal rather than a warning: a warning is clicked past and leaves nothing on the
# record, while the justification becomes part of the evaluation the decider reads and
# signs (and an auditor finds it next to the scores).
LOW_SCORE, LOW_AVERAGE = 1, 3


def _approval_against_the_scores(
    recommendation: str, rows: list[tuple[Criterion, int, str]], summary: str
) -> None:
    if recommendation != "approved" or summary or not rows:
        return
    lowest = [c.name for c, s, _ in rows if s <= LOW_SCORE]
    average = sum(s for _, s, _ in rows) / len(rows)
    if lowest or average < LOW_AVERAGE:
        named = ", ".join(lowest) if len(lowest) <= 2 else f"{len(lowest)} criteria"
        why = (
            f"{named} scored {LOW_SCORE}"
            if lowest
            else f"the average score is {average:.1f}, below {LOW_AVERAGE}"
        )
        raise InvalidInput(
            f"Recommending approval when {why} needs a justification: give it in the "
            "summary, or recommend a conditional approval. Nothing was recorded.",
            fields={"summary": "Justify approving against the scores."},
        )


def scores_text(rows: list[tuple[Criterion, int, str]]) -> str:
    """The scores as the audit trail shows them: "Quality system 4/5 (comment); …"."""
    return "; ".join(f"{c.name} {s}/5" + (f" ({t})" if t else "") for c, s, t in rows)


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
    _approval_against_the_scores(recommendation, rows, summary)
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
            "scores": [None, scores_text(rows)],
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
    shows_decision: bool = False,
) -> Decision:
    decision, conditions, reason = _decision_fields(decision, conditions, reason)

    def build(ev: Evaluation) -> Decision:
        return draft_decision(
            evaluation=ev, actor=actor, decision=decision, conditions=conditions, reason=reason
        )

    # The page's signing dialog shows the decision itself (draft_decision): its hash is
    # what the signature binds. The API shows the evaluation and takes the decision's
    # fields in the same request, so it sends the evaluation's hash back.
    def shown(ev: Evaluation) -> dict[str, Any]:
        return build(ev).signature_content() if shows_decision else ev.signature_content()

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
        shown=shown,
        change=change,
        queryset=Evaluation.objects.select_related("supplier", "evaluator"),
    )


def draft_decision(
    *, evaluation: Evaluation, actor: User, decision: str, conditions: str = "", reason: str = ""
) -> Decision:
    """The decision `actor` would sign today, unsaved: the signing dialog shows its content
    hash, and decide_evaluation builds the same one to sign (checked fields, as there)."""
    decision, conditions, reason = _decision_fields(decision, conditions, reason)
    today = timezone.localdate()
    return Decision(
        evaluation=evaluation,
        decision=decision,
        conditions=conditions,
        reason=reason,
        decided_by=actor,
        decided_on=today,
        next_evaluation=next_evaluation(today, evaluation.supplier.criticality, decision),
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
        | {"evaluation": [None, str(evaluation)]},
    )
