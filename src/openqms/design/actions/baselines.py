"""Baselines (ISO 13485 7.3.7, 7.3.10): a snapshot of every active item at its version
and of every link between them, taken in one transaction; the QA lead signs it. A signed
baseline never changes: its rows are written once and its digest is checked again
before signing. An open baseline (collecting evidence) may be taken again at the items'
current versions; the evidence already ingested into it stays."""

from __future__ import annotations

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import choice, long_text, text
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.design import snapshots, trace
from openqms.design.models import (
    Baseline,
    BaselineItem,
    BaselineKind,
    BaselineLink,
    BaselineState,
    DesignProject,
    Item,
    ItemState,
    Link,
    LinkState,
)
from openqms.design.registry import BASELINE_SIGNED, EDIT, SIGN


def _snapshot(baseline: Baseline) -> tuple[int, int]:
    """Write the snapshot rows of `baseline` (items, then links) with bulk inserts and
    set its digest; the number of items and links."""
    project_id = baseline.project_id
    rows = (
        Item.objects.filter(project_id=project_id, state=ItemState.ACTIVE)
        .order_by("uid")
        .values_list("pk", "uid", "item_type__code", "version", "title", "text", "attributes")
    )
    items = [
        BaselineItem(
            baseline=baseline,
            item_id=pk,
            uid=uid,
            type_code=code,
            version=version,
            title=title,
            text=body,
            attributes=attributes or {},
        )
        for pk, uid, code, version, title, body, attributes in rows
    ]
    ends = (
        Link.objects.filter(project_id=project_id)
        .filter(source__state=ItemState.ACTIVE, target__state=ItemState.ACTIVE)
        .order_by("pk")
        .values_list("source__uid", "kind", "target__uid", "state")
    )
    links = [
        BaselineLink(
            baseline=baseline,
            source_uid=source,
            kind=kind,
            target_uid=target,
            suspect=state == LinkState.SUSPECT,
        )
        for source, kind, target, state in ends
    ]
    BaselineItem.objects.bulk_create(items, batch_size=2000)
    BaselineLink.objects.bulk_create(links, batch_size=2000)
    baseline.digest = snapshots.digest_of(items, links)
    return len(items), len(links)


def _refresh_evidence_gaps(project_id: int) -> None:
    """The evidence gap rule reads the current baseline: recompute it for the items
    that need evidence (verification and validation), not the whole project."""
    ids = Item.objects.filter(
        project_id=project_id, item_type__needs_evidence=True, state=ItemState.ACTIVE
    ).values_list("pk", flat=True)
    trace.refresh(project_id, list(ids))


def open_baseline(
    *, actor: User, project: DesignProject, name: str, kind: str, description: str = ""
) -> Baseline:
    """The baseline itself, inside the caller's transaction (create_baseline, and a
    design change marked done). Refused for a duplicate name."""
    require(actor, EDIT)
    name = text(name, "name", limit=100)
    kind = choice(kind, BaselineKind, "kind")
    description = long_text(description, "description", limit=10_000)
    project = DesignProject.objects.select_for_update().get(pk=project.pk)
    if Baseline.objects.filter(project=project, name__iexact=name).exists():
        raise InvalidInput(
            f"{project} already has a baseline “{name}”: give this one another name.",
            fields={"name": "Taken."},
        )
    baseline = Baseline.objects.create(
        project=project,
        name=name,
        kind=kind,
        description=description,
        created_at=timezone.now(),
        created_by=actor,
    )
    counted = _snapshot(baseline)
    baseline.save(update_fields=["digest"])
    previous = project.current_baseline
    project.current_baseline = baseline
    project.save(update_fields=["current_baseline"])
    audit.record(
        actor=actor,
        action="design.baseline.created",
        obj=baseline,
        changes={
            "name": [None, name],
            "kind": [None, kind],
            "description": [None, description],
            "items": [None, counted[0]],
            "links": [None, counted[1]],
            "digest": [None, baseline.digest],
            "current_baseline": [str(previous) if previous else None, str(baseline)],
        },
    )
    _refresh_evidence_gaps(project.pk)
    return baseline


@audit.writing()
def create_baseline(
    *, actor: User, project: DesignProject, name: str, kind: str, description: str = ""
) -> Baseline:
    """Snapshot every active item and link of `project` now, as a new open baseline that
    becomes the project's current one (its evidence counts for the gap rules)."""
    return open_baseline(
        actor=actor, project=project, name=name, kind=kind, description=description
    )


@audit.writing()
def refresh_baseline(*, actor: User, baseline: Baseline) -> Baseline:
    """Take an open baseline again at the items' current versions (a new version of the
    baseline); the test runs already ingested into it stay."""
    require(actor, EDIT)
    baseline = Baseline.objects.select_for_update().get(pk=baseline.pk)
    if baseline.state != BaselineState.OPEN:
        raise TransitionNotAllowed(f"Baseline “{baseline.name}” is signed: it never changes.")
    old_digest, old_count = baseline.digest, baseline.items.count()
    BaselineItem.objects.filter(baseline=baseline).delete()
    BaselineLink.objects.filter(baseline=baseline).delete()
    counted = _snapshot(baseline)
    baseline.version += 1
    baseline.save(update_fields=["digest", "version"])
    audit.record(
        actor=actor,
        action="design.baseline.refreshed",
        obj=baseline,
        changes={
            "version": [baseline.version - 1, baseline.version],
            "items": [old_count, counted[0]],
            "digest": [old_digest, baseline.digest],
        },
    )
    _refresh_evidence_gaps(baseline.project_id)
    return baseline


def _digest_holds(baseline: Baseline, actor: User | None) -> str | None:
    if snapshots.stored_digest(baseline) != baseline.digest:
        return (
            f"The snapshot of “{baseline.name}” no longer matches its digest: its rows "
            "were changed outside OpenQMS. It cannot be signed; ask the administrator."
        )
    return None


def suspect_counts(baseline: Baseline) -> tuple[int, int]:
    """Suspect links held in the snapshot, and in the project now (the signing dialog
    shows both)."""
    held = BaselineLink.objects.filter(baseline=baseline, suspect=True).count()
    live = Link.objects.filter(project_id=baseline.project_id, state=LinkState.SUSPECT).count()
    return held, live


def _no_suspect_links(baseline: Baseline, actor: User | None) -> str | None:
    # ISO 13485 7.3.9: a link whose end changed has not been reviewed; a baseline signed
    # over it would freeze an unreviewed trace.
    held, live = suspect_counts(baseline)
    if live:
        return (
            f"The project has {live} suspect link(s): review them (sign that they still "
            "hold or change the other end), then take the baseline again and sign it."
        )
    if held:
        return (
            f"The snapshot holds {held} link(s) that were suspect when it was taken: take "
            "the baseline again (refresh) now that they are reviewed, then sign it."
        )
    return None


BASELINE_SIGNING = Workflow(
    model=Baseline,
    states=BaselineState,
    transitions=[
        Transition(
            "sign",
            sources=(BaselineState.OPEN,),
            target=BaselineState.SIGNED,
            permission=SIGN,
            signature=BASELINE_SIGNED,
            event="design.baseline.signed",
            label="Sign the baseline",
            guards=(_digest_holds, _no_suspect_links),
            stamp="signed_at",
        ),
    ],
)


def sign_baseline(
    *, actor: User, baseline: Baseline, credentials: Credentials | None, comment: str = ""
) -> Baseline:
    """The QA lead signs the baseline: its name, kind and digest (every item at its
    version and every link). Refused while suspect links stand or when the snapshot no
    longer matches its digest."""
    baseline = Baseline.objects.select_related("project").get(pk=baseline.pk)
    return BASELINE_SIGNING.apply(
        obj=baseline, name="sign", actor=actor, credentials=credentials, reason=comment
    )
