"""Phases and design reviews (ISO 13485 7.3.2 a, 7.3.5).

A design review names what was reviewed (items, or a baseline), the phase, its
participants and one independent reviewer, its findings (each an action with an owner
and a due date) and its outcome. Sent for signatures, each named person signs it
(meaning "design_review_signed", their own row, through core's signed-step path); the
last signature completes it.

The rule for the independent reviewer (stated, simple): they hold the review
permission, are not one of the other participants, and neither created nor edited any
of the reviewed items (nor any item of the reviewed baseline) — they did not write what
they judge.

What was reviewed is fixed when the review is sent for signatures: each item's "uid vN"
and the baseline's digest are stored on the review and the signatures cover those, so
later work on the items (or refreshing an open baseline) leaves the signatures intact."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission, is_member, require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import choice, date, long_text, text
from openqms.core.models import AuditEvent, User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow, same_person
from openqms.design.models import (
    Baseline,
    BaselineItem,
    DesignPhase,
    DesignProject,
    DesignReview,
    Item,
    ParticipantRole,
    PhaseState,
    ReviewFinding,
    ReviewOutcome,
    ReviewParticipant,
    ReviewState,
    SignState,
)
from openqms.design.registry import DESIGN_REVIEW_SIGNED, EDIT, REVIEW

# --- phases ---------------------------------------------------------------------------


@audit.writing()
def create_phase(
    *, actor: User, project: DesignProject, name: str, planned_end: Any = None
) -> DesignPhase:
    require(actor, EDIT)
    name = text(name, "name", limit=100)
    end = date(planned_end, "planned end", required=False)
    if DesignPhase.objects.filter(project=project, name__iexact=name).exists():
        raise InvalidInput(f"{project} already has a phase “{name}”.", fields={"name": "Taken."})
    order = DesignPhase.objects.filter(project=project).count() + 1
    phase = DesignPhase.objects.create(
        project=project,
        name=name,
        order=order,
        planned_end=end,
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.phase.created",
        obj=phase,
        changes={
            "name": [None, name],
            "order": [None, order],
            "planned_end": [None, end.isoformat() if end else None],
        },
    )
    return phase


@audit.writing()
def close_phase(*, actor: User, phase: DesignPhase) -> DesignPhase:
    require(actor, EDIT)
    phase = DesignPhase.objects.select_for_update().get(pk=phase.pk)
    if phase.state == PhaseState.CLOSED:
        raise TransitionNotAllowed(f"Phase “{phase.name}” is already closed.")
    phase.state, phase.closed_at = PhaseState.CLOSED, timezone.now()
    phase.save(update_fields=["state", "closed_at"])
    audit.record(
        actor=actor,
        action="design.phase.closed",
        obj=phase,
        changes={"state": [PhaseState.OPEN, PhaseState.CLOSED]},
    )
    return phase


# --- design reviews ------------------------------------------------------------------------


def _person(value: Any, field: str) -> User:
    person = value if isinstance(value, User) else User.objects.filter(username=value).first()
    if person is None or not person.is_active or not is_member(person):
        raise InvalidInput(
            f"“{value}” is not an active user with a role here.", fields={field: "Unknown."}
        )
    return person


def independence_refusal(
    reviewer: User, participants: Iterable[User], items: Iterable[Item], baseline: Any
) -> str | None:
    """Why `reviewer` cannot be the independent reviewer, or None (the rule above)."""
    if not has_permission(reviewer, REVIEW):
        return (
            f"{reviewer.full_name} cannot be the independent reviewer: they do not sign "
            "design reviews."
        )
    if reviewer.pk in {p.pk for p in participants}:
        return "The independent reviewer is not also one of the participants."
    items = list(items)
    authored = [i.uid for i in items if i.created_by_id == reviewer.pk]
    reviewed = {str(i.pk): i.uid for i in items}
    if baseline is not None:
        held = BaselineItem.objects.filter(baseline=baseline, item__created_by=reviewer)
        authored += list(held.values_list("uid", flat=True)[:5])
        in_baseline = BaselineItem.objects.filter(baseline=baseline)
        reviewed |= {str(pk): uid for pk, uid in in_baseline.values_list("item_id", "uid")}
    edited = AuditEvent.objects.filter(
        action="design.item.edited",
        object_type="design.item",
        actor=reviewer,
        object_id__in=list(reviewed),
    )
    authored += [reviewed[pk] for pk in edited.values_list("object_id", flat=True).distinct()]
    if authored:
        return (
            f"{reviewer.full_name} wrote {', '.join(sorted(set(authored))[:5])}: the "
            "independent reviewer must not have written what is reviewed."
        )
    return None


def _findings(review: DesignReview, findings: Sequence[dict]) -> list[ReviewFinding]:
    out = []
    for n, f in enumerate(findings, start=1):
        out.append(
            ReviewFinding(
                review=review,
                text=long_text(f.get("text"), f"finding {n}", required=True, limit=5000),
                owner=_person(f.get("owner"), f"finding {n} owner"),
                due=date(f.get("due"), f"finding {n} due date", required=False),
            )
        )
    return out


def _finding_row(f: ReviewFinding) -> list:
    return [f.text, f.owner.username, f.due.isoformat() if f.due else None]


@audit.writing()
def create_review(
    *,
    actor: User,
    project: DesignProject,
    title: str,
    participants: Sequence[User | str],
    independent_reviewer: User | str,
    outcome: str,
    items: Sequence[Item] = (),
    baseline: Baseline | None = None,
    phase: DesignPhase | None = None,
    summary: str = "",
    findings: Sequence[dict] = (),
) -> DesignReview:
    """A design review in draft: what was reviewed, by whom, what was found."""
    require(actor, EDIT)
    title = text(title, "title", limit=200)
    outcome = choice(outcome, ReviewOutcome, "outcome")
    summary = long_text(summary, "summary", limit=20_000)
    people = [_person(p, "participants") for p in participants]
    if not people:
        raise InvalidInput("Name at least one participant.", fields={"participants": "Empty."})
    if len({p.pk for p in people}) != len(people):
        raise InvalidInput("A participant is named twice.", fields={"participants": "Twice."})
    reviewer = _person(independent_reviewer, "independent_reviewer")
    items = list(Item.objects.filter(pk__in=[i.pk for i in items]))
    if any(i.project_id != project.pk for i in items):
        raise InvalidInput("Review items of this project only.", fields={"items": "?"})
    if baseline is not None and baseline.project_id != project.pk:
        raise InvalidInput("Review a baseline of this project.", fields={"baseline": "?"})
    if phase is not None and phase.project_id != project.pk:
        raise InvalidInput("Choose a phase of this project.", fields={"phase": "?"})
    if not items and baseline is None:
        raise InvalidInput(
            "Say what was reviewed: items or a baseline.", fields={"items": "Empty."}
        )
    refusal = independence_refusal(reviewer, people, items, baseline)
    if refusal:
        raise InvalidInput(refusal, fields={"independent_reviewer": "Not independent."})
    review = DesignReview.objects.create(
        project=project,
        title=title,
        phase=phase,
        baseline=baseline,
        outcome=outcome,
        summary=summary,
        created_at=timezone.now(),
        created_by=actor,
    )
    review.items.set(items)
    rows = _findings(review, findings)
    ReviewFinding.objects.bulk_create(rows)
    ReviewParticipant.objects.bulk_create(
        [
            ReviewParticipant(review=review, person=p, role=ParticipantRole.PARTICIPANT)
            for p in people
        ]
        + [ReviewParticipant(review=review, person=reviewer, role=ParticipantRole.INDEPENDENT)]
    )
    audit.record(
        actor=actor,
        action="design.review.created",
        obj=review,
        changes={
            "title": [None, title],
            "phase": [None, phase.name if phase else None],
            "baseline": [None, baseline.name if baseline else None],
            "items": [None, sorted(f"{i.uid} v{i.version}" for i in items)],
            "participants": [None, [p.username for p in people]],
            "independent_reviewer": [None, reviewer.username],
            "findings": [None, [_finding_row(f) for f in rows]],
            "outcome": [None, outcome],
            "summary": [None, summary],
        },
    )
    return review


@audit.writing()
def add_finding(
    *, actor: User, review: DesignReview, text_: str, owner: User | str, due: Any = None
) -> ReviewFinding:
    require(actor, EDIT)
    review = DesignReview.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.DRAFT:
        raise TransitionNotAllowed("Findings are added while the review is a draft.")
    (finding,) = _findings(review, [{"text": text_, "owner": owner, "due": due}])
    finding.save()
    audit.record(
        actor=actor,
        action="design.review.finding_added",
        obj=review,
        changes={"finding": [None, _finding_row(finding)]},
    )
    return finding


def _review_named(review: DesignReview, actor: User | None) -> str | None:
    if not review.participants.exists():
        return "Name the participants first."
    return None


def _fix_what_was_reviewed(review: DesignReview, actor: User | None) -> dict:
    """Under the submission's lock: store what the signatures will cover (each item's
    "uid vN", the baseline's digest), so later work on them does not read as tampering."""
    versions = sorted(f"{i.uid} v{i.version}" for i in review.items.all())
    digest = review.baseline.digest if review.baseline_id and review.baseline else ""
    review.item_versions, review.baseline_digest = versions, digest
    review.save(update_fields=["item_versions", "baseline_digest"])
    return {"items": [None, versions], "baseline_digest": [None, digest or None]}


REVIEW_FLOW = Workflow(
    model=DesignReview,
    states=ReviewState,
    transitions=[
        Transition(
            "submit",
            sources=(ReviewState.DRAFT,),
            target=ReviewState.SIGNING,
            permission=EDIT,
            event="design.review.submitted",
            label="Send for signatures",
            guards=(_review_named,),
            before=(_fix_what_was_reviewed,),
        ),
        Transition(
            "complete",
            sources=(ReviewState.SIGNING,),
            target=ReviewState.COMPLETE,
            permission="",
            event="design.review.completed",
            label="Complete (everyone signed)",
            stamp="completed_at",
            cascade=True,
        ),
    ],
)


def submit_review(*, actor: User, review: DesignReview) -> DesignReview:
    """Send the review for signatures: from now on it does not change. An unsigned step
    of the table, taken through the one step path (it locks, re-checks and audits)."""
    review = DesignReview.objects.select_related("baseline").get(pk=review.pk)
    return REVIEW_FLOW.apply(obj=review, name="submit", actor=actor, credentials=None)


def _review_open_for_signing(row: ReviewParticipant, actor: User | None) -> str | None:
    if row.review.state != ReviewState.SIGNING:
        return "The review is not waiting for signatures."
    return None


def _complete_when_all_signed(row: ReviewParticipant, actor: User | None) -> None:
    pending = ReviewParticipant.objects.filter(review_id=row.review_id, state=SignState.PENDING)
    if not pending.exists():
        review = DesignReview.objects.select_for_update().get(pk=row.review_id)
        REVIEW_FLOW.cascade(obj=review, name="complete", actor=actor)


SIGNING = Workflow(
    model=ReviewParticipant,
    states=SignState,
    transitions=[
        Transition(
            "sign",
            sources=(SignState.PENDING,),
            target=SignState.SIGNED,
            # The right to sign is being named in the review (the guard).
            permission="",
            signature=DESIGN_REVIEW_SIGNED,
            event="design.review.signed",
            label="Sign the design review",
            guards=(
                same_person("person", "Only the person named signs their part of the review."),
                _review_open_for_signing,
            ),
            stamp="signed_at",
            effects=(_complete_when_all_signed,),
        ),
    ],
)


def my_part(review: DesignReview, user: User) -> ReviewParticipant | None:
    return ReviewParticipant.objects.filter(review=review, person=user).first()


def sign_review(
    *, actor: User, review: DesignReview, credentials: Credentials | None, comment: str = ""
) -> ReviewParticipant:
    """A named participant (or the independent reviewer) signs the review; the last
    signature completes it."""
    row = my_part(review, actor)
    if row is None:
        raise TransitionNotAllowed("You are not named in this design review.")
    row = ReviewParticipant.objects.select_related("review__project", "person").get(pk=row.pk)
    return SIGNING.apply(obj=row, name="sign", actor=actor, credentials=credentials, reason=comment)
