"""The release gate (ISO 13485 7.3.9): once a design project's current baseline is
signed, every writer of the design asks here for the approved design change its
change is part of. One place decides, so pages, API, imports and the risk rows cannot
disagree; items.py re-exports what its callers use."""

from __future__ import annotations

from typing import Any

from openqms.core import audit
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.design.models import BaselineState, ChangeState, DesignChange, DesignProject, Item


def change_for_addition(project: DesignProject, change: Any, what: str) -> DesignChange | None:
    """After release, the approved design change an addition (`what`: a new item's ID)
    is part of; None before release (additions are then free)."""
    baseline = released(DesignProject.objects.select_related("current_baseline").get(pk=project.pk))
    if baseline is None:
        return None
    if change in (None, ""):
        raise TransitionNotAllowed(
            f"{project}'s current baseline “{baseline}” is signed (released): add {what} as "
            "part of an approved design change (ISO 13485 7.3.9). Nothing was saved.",
            fields={"change": "Required after release."},
        )
    pk = change.pk if isinstance(change, DesignChange) else change
    found = DesignChange.objects.select_for_update().filter(
        pk=pk if str(pk).isdigit() else 0, project_id=project.pk
    )
    approved = found.first()
    if approved is None:
        raise InvalidInput(f"Choose a design change of {project}.", fields={"change": "?"})
    if approved.state != ChangeState.APPROVED:
        raise TransitionNotAllowed(
            f"“{baseline}” is signed: after release, add {what} only as part of an approved "
            f"design change ({approved.number} is {approved.get_state_display().lower()}). "
            "Nothing was saved.",
            fields={"change": "Not approved."},
        )
    return approved


OPEN_CHANGES = (ChangeState.DRAFT, ChangeState.APPROVED)


def open_changes(project: DesignProject, item: Item | None = None) -> list[DesignChange]:
    """The project's design changes an edit can be part of: recorded or approved, not
    yet done (newest first); after release, for `item`, only approved ones naming it."""
    rows = DesignChange.objects.filter(project=project, state__in=OPEN_CHANGES)
    if item is not None and released(project) is not None:
        rows = rows.filter(state=ChangeState.APPROVED, affected_items=item)
    return list(rows.order_by("-created_at", "-pk"))


def released(project: DesignProject) -> str | None:
    """The name of the project's current baseline when it is signed, else None."""
    baseline = project.current_baseline
    if baseline is not None and baseline.state == BaselineState.SIGNED:
        return baseline.name
    return None


def change_for(item: Item, change: Any, doing: str = "edit") -> DesignChange | None:
    """The design change `doing` (edit, retire…) `item` is part of: any open change of its
    project before release; after release (the current baseline signed) a change is
    required, approved and naming the item. `change` is a DesignChange or its id."""
    project = DesignProject.objects.select_related("current_baseline").get(pk=item.project_id)
    if change in (None, ""):
        baseline = released(project)
        if baseline is not None:
            # ISO 13485 7.3.9: after release, design changes are identified, reviewed
            # and approved before they are carried out.
            raise TransitionNotAllowed(
                f"{project}'s current baseline “{baseline}” is signed (released): {doing} "
                f"{item.uid} as part of a design change, approved before it is carried "
                "out. Choose an approved change that names the item, or record one that "
                "names it and have it approved first. Nothing was saved.",
                fields={"change": "Required after release."},
            )
        return None
    pk = change.pk if isinstance(change, DesignChange) else change
    found = DesignChange.objects.select_for_update().filter(pk=pk if str(pk).isdigit() else 0)
    change = found.first()
    if change is None or change.project_id != item.project_id:
        raise InvalidInput(
            f"Choose a design change of {project}.", fields={"change": "Not this project's."}
        )
    if change.state not in OPEN_CHANGES:
        raise TransitionNotAllowed(
            f"{change.number} is {change.get_state_display()}: an edit can only be part of "
            "a change that is recorded or approved and not yet done. Nothing was saved.",
            fields={"change": "Not open."},
        )
    baseline = released(project)
    if baseline is not None and (
        change.state != ChangeState.APPROVED
        or not change.affected_items.filter(pk=item.pk).exists()
    ):
        # ISO 13485 7.3.9: after release a change is reviewed and approved *before* it is
        # carried out, so the approval must already name the item.
        raise TransitionNotAllowed(
            f"“{baseline}” is signed: after release, {doing} {item.uid} only as part of an "
            f"approved design change that names it among its affected items "
            f"({change.number} is {change.get_state_display().lower()}"
            + ("" if change.affected_items.filter(pk=item.pk).exists() else
               f" and does not name {item.uid}")
            + "). Nothing was saved.",
            fields={"change": "Not approved for this item."},
        )  # fmt: skip
    return change


def named_end(source: Item, target: Item, change: Any) -> Item:
    """The end of a link that `change` names among its affected items (the target when
    it names that one, else the source): what the release gate checks a link against."""
    if change in (None, ""):
        return source
    pk = change.pk if isinstance(change, DesignChange) else change
    names_target = DesignChange.objects.filter(
        pk=pk if str(pk).isdigit() else 0, affected_items=target
    ).exists()
    return target if names_target else source


def join_change(actor: User, change: DesignChange, item: Item, version: int) -> bool:
    """`item` among the change's affected items (True when it joins now). A draft
    change's assessed list gains it too; an approved change's signed list stays as
    signed, and the trail says the item joined after approval."""
    if change.affected_items.filter(pk=item.pk).exists():
        return False
    change.affected_items.add(item)
    entry = f"{item.uid} v{version}"
    if change.state == ChangeState.DRAFT:
        change.affected_versions = sorted([*change.affected_versions, entry])
        change.save(update_fields=["affected_versions"])
    audit.record(
        actor=actor,
        action="design.change.item_joined",
        obj=change,
        changes={"affected_items": [None, entry], "state": [None, change.state]},
        reason=f"edited as part of {change.number}",
    )
    return True
