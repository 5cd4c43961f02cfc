"""The baselines part of the demo story: the demo design project's phases (the first
two closed), the baseline "release 1.0", a design review of it signed by everyone
named, and a design change waiting for the QA lead's approval (in their My tasks).
After the evidence step has put the CI results in, `sign_release` has the QA lead sign
the baseline when nothing refuses it. Idempotent;
skips quietly what it cannot find."""

from __future__ import annotations

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.design.actions import baselines, changes, reviews
from openqms.design.models import (
    Baseline,
    BaselineKind,
    BaselineState,
    DesignPhase,
    DesignProject,
    DesignReview,
    Item,
    ItemState,
)

REVIEW_TITLE = "Release 1.0 design review"
PHASES = ["Planning", "Design inputs", "Design outputs", "Verification and validation"]


def _first(project: DesignProject, type_code: str) -> Item | None:
    rows = Item.objects.filter(project=project, item_type__code=type_code, state=ItemState.ACTIVE)
    return rows.order_by("uid").first()


def run() -> None:
    project = DesignProject.objects.order_by("pk").first()
    if project is None or DesignReview.objects.filter(title=REVIEW_TITLE).exists():
        return
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["qa", "author", "reviewer", "approver"])
    }
    if len(people) < 4:
        return
    sign = Credentials(DEMO_PASSWORD)
    author = people["author"]
    try:
        made = [
            reviews.create_phase(actor=author, project=project, name=name)
            for name in PHASES
            if not DesignPhase.objects.filter(project=project).filter(name=name).exists()
        ]
        for phase in made[:2]:
            reviews.close_phase(actor=author, phase=phase)
        baseline = Baseline.objects.filter(project=project, name="release 1.0").first()
        if baseline is None:
            baseline = baselines.create_baseline(
                actor=author, project=project, name="release 1.0", kind=BaselineKind.RELEASE
            )
        need = _first(project, "design_input")
        review = reviews.create_review(
            actor=author,
            project=project,
            title=REVIEW_TITLE,
            phase=DesignPhase.objects.filter(project=project)
            .filter(name="Verification and validation")
            .first(),
            baseline=baseline,
            participants=[author, people["approver"]],
            independent_reviewer=people["reviewer"],
            outcome="passed_with_actions",
            summary="Inputs, outputs and verification reviewed against release 1.0.",
            findings=[
                {
                    "text": f"State the tolerance in {need.uid}." if need else "Tidy the IDs.",
                    "owner": author,
                }
            ],
        )
        reviews.submit_review(actor=author, review=review)
        for who in ("author", "approver", "reviewer"):
            reviews.sign_review(actor=people[who], review=review, credentials=sign)
        risk, test = _first(project, "risk"), _first(project, "verification")
        if need is not None:
            changes.create_change(
                actor=author,
                project=project,
                title="Shorter AF episode threshold",
                description=f"Lower the threshold in {need.uid} from 60 s to 30 s.",
                reason="Post-market feedback: short episodes were missed.",
                affected_items=[need],
                risk_items=[risk] if risk else [],
                risk_assessment="" if risk else "No hazard affected.",
                reverify_items=[test] if test else [],
            )
    except DomainError:
        return  # the story's state refuses a step (e.g. a suspect link): leave it there


def sign_release() -> None:
    """The QA lead signs "release 1.0" once the CI evidence is in (the evidence step runs
    between `run` and this), unless something refuses it."""
    baseline = Baseline.objects.filter(name="release 1.0", state=BaselineState.OPEN).first()
    qa = User.objects.filter(username="qa").first()
    if baseline is None or qa is None:
        return
    try:
        baselines.sign_baseline(actor=qa, baseline=baseline, credentials=Credentials(DEMO_PASSWORD))
    except DomainError:
        return
