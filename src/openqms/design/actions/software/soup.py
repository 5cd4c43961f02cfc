"""The SOUP list: each item's requirements (IEC 62304 5.3.3, 5.3.4), its signed
known-anomaly review (7.1.3) and the risks it contributes to (7.1.2 c). Risk links are
kept as a many-to-many to the design project's RISK items (design records, not core
links: they stay within design controls and the trace can read them)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import date, long_text
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.design.models import Item, ItemState, SoupItem, SoupState
from openqms.design.registry import EDIT, REVIEW, SOUP_REVIEWED


def review_needs(soup: SoupItem, actor: Any = None) -> str | None:
    """7.1.3: the known anomalies are judged against what the SOUP must do (its 5.3.3
    requirements, the text on the item) and the hazards it contributes to (its 7.1.2 c
    risk links). With neither recorded there is nothing to judge them against."""
    if soup.requirements.strip() or soup.risks.exists():
        return None
    return (
        f"{soup.name} has no requirements and no risk links recorded: record its "
        "requirements (IEC 62304 5.3.3) or link the risks it contributes to (7.1.2 c) "
        "before signing its known-anomaly review."
    )


SOUP_REVIEW = Workflow(
    model=SoupItem,
    states=SoupState,
    transitions=[
        Transition(
            "review",
            sources=(SoupState.NEEDS_REVIEW,),
            target=SoupState.REVIEWED,
            permission=REVIEW,
            signature=SOUP_REVIEWED,
            event="design.soup.reviewed",
            label="Sign the known-anomaly review",
            guards=(review_needs,),
        ),
        # 5.3.3: the review was of the SOUP as then required; new requirements need it
        # reviewed again. Its signature is voided (kept on record) so that the next
        # review of the same version signs afresh instead of reading as altered.
        Transition(
            "review_again",
            sources=(SoupState.REVIEWED,),
            target=SoupState.NEEDS_REVIEW,
            permission=EDIT,
            event="design.soup.edited",
            label="Review again after the requirements changed",
            voids_signatures="The SOUP's requirements changed: its anomaly review is taken again.",
            cascade=True,
        ),
    ],
)


def review_soup(
    *,
    actor: User,
    soup: SoupItem,
    anomalies: str,
    conclusion: str,
    reviewed_on: Any = None,
    credentials: Credentials | None,
) -> SoupItem:
    """Signed: the published anomalies of this version were considered (7.1.3) and what
    was concluded. The signature covers the item with the review."""
    updates = {
        "anomalies": long_text(anomalies, "anomalies", required=True),
        "conclusion": long_text(conclusion, "conclusion", required=True),
        "reviewed_on": date(reviewed_on, "reviewed_on", required=False) or timezone.localdate(),
        "reviewed_version": soup.version,
        "updated_at": timezone.now(),
    }
    return SOUP_REVIEW.apply(
        obj=soup,
        name="review",
        actor=actor,
        credentials=credentials,
        updates=updates,
        sign_updates=True,
    )


@audit.writing()
def edit_soup(*, actor: User, soup: SoupItem, requirements: str) -> SoupItem:
    """The SOUP's functional and performance requirements (5.3.3) and the hardware and
    software it needs (5.3.4), in words. A reviewed item goes back to needing review."""
    require(actor, EDIT)
    soup = SoupItem.objects.select_for_update().get(pk=soup.pk)
    requirements = long_text(requirements, "requirements", limit=20_000)
    if requirements == soup.requirements:
        raise InvalidInput("Nothing changed.", fields={"requirements": "Unchanged."})
    changes = {"requirements": [soup.requirements, requirements]}
    soup.requirements, soup.updated_at = requirements, timezone.now()
    soup.save(update_fields=["requirements", "updated_at"])
    if soup.state == SoupState.REVIEWED:
        # One event: the edit and the state it sends the item back to.
        return SOUP_REVIEW.cascade(obj=soup, name="review_again", actor=actor, changes=changes)
    audit.record(actor=actor, action="design.soup.edited", obj=soup, changes=changes)
    return soup


@audit.writing()
def link_soup_risk(*, actor: User, soup: SoupItem, risk: Item) -> SoupItem:
    require(actor, EDIT)
    risk = Item.objects.select_related("item_type", "project").get(pk=risk.pk)
    if risk.item_type.code != "risk":
        raise InvalidInput(f"{risk.uid} is not a risk.", fields={"risk": "Not a risk."})
    if risk.state != ItemState.ACTIVE:
        raise TransitionNotAllowed(f"{risk.uid} is retired.")
    # 7.1.2 c): the SOUP's hazards are in its own device's risk file; a project with no
    # device is no device's risk file.
    if risk.project.device_id is None or risk.project.device_id != soup.system.device_id:
        raise InvalidInput(
            f"{risk.uid} is not a risk of {soup.system.device}: link a risk from a design "
            "project of the same device.",
            fields={"risk": "Another device's risk."},
        )
    if soup.risks.filter(pk=risk.pk).exists():
        raise InvalidInput(f"{soup.name} is already linked to {risk.uid}.")
    soup.risks.add(risk)
    audit.record(
        actor=actor,
        action="design.soup.risk_linked",
        obj=soup,
        changes={"risks": [None, f"{risk.project.name} {risk.uid}"]},
    )
    return soup
