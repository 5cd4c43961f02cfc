"""Software systems (IEC 62304 4.3), the evidence of their deliverables and their
software items and units (5.3, 5.4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.inputs import choice, long_text, text
from openqms.core.models import User
from openqms.design.models import (
    Baseline,
    DeliverableEvidence,
    DesignProject,
    SafetyClass,
    SoftwareItem,
    SoftwareSystem,
    TestRun,
)
from openqms.design.models.software import DELIVERABLE_CODES, class_rank
from openqms.design.registry import EDIT


def _justification(value: Any) -> str:
    return long_text(value, "justification", required=True, limit=10_000)


@audit.writing()
def create_system(
    *,
    actor: User,
    device: Any,
    name: str,
    safety_class: str,
    justification: str,
    version: str = "",
) -> SoftwareSystem:
    require(actor, EDIT)
    name = text(name, "name", limit=100)
    fields = {
        "version": text(version, "version", required=False, limit=50),
        "safety_class": choice(safety_class, SafetyClass, "safety_class"),
        "justification": _justification(justification),
    }
    if SoftwareSystem.objects.filter(device=device, name__iexact=name).exists():
        raise InvalidInput(
            f"{device} already has a software system “{name}”.", fields={"name": "Taken."}
        )
    system = SoftwareSystem.objects.create(
        device=device, name=name, created_at=timezone.now(), created_by=actor, **fields
    )
    audit.record(
        actor=actor,
        action="design.software.created",
        obj=system,
        changes={"device": [None, str(device)], "name": [None, name]}
        | {k: [None, v] for k, v in fields.items()},
    )
    return system


@audit.writing()
def edit_system(
    *,
    actor: User,
    system: SoftwareSystem,
    name: str,
    version: str,
    safety_class: str,
    justification: str,
    reason: str = "",
) -> SoftwareSystem:
    """Change a system; a change of safety class needs a reason (it changes which
    deliverables IEC 62304 requires)."""
    require(actor, EDIT)
    system = SoftwareSystem.objects.select_for_update().get(pk=system.pk)
    after = {
        "name": text(name, "name", limit=100),
        "version": text(version, "version", required=False, limit=50),
        "safety_class": choice(safety_class, SafetyClass, "safety_class"),
        "justification": _justification(justification),
    }
    reason = str(reason or "").strip()
    if after["safety_class"] != system.safety_class and not reason:
        raise InvalidInput(
            "Say why the safety class changes: it changes the deliverables IEC 62304 requires.",
            fields={"reason": "Required for a class change."},
        )
    taken = SoftwareSystem.objects.filter(device_id=system.device_id, name__iexact=after["name"])
    if taken.exclude(pk=system.pk).exists():
        raise InvalidInput(f"There is already a system “{after['name']}”.", fields={"name": "?"})
    higher = [
        i.name
        for i in SoftwareItem.objects.filter(system=system)
        if class_rank(i.safety_class) > class_rank(after["safety_class"])
    ]
    if higher:
        raise InvalidInput(
            f"Software items of a higher class than {after['safety_class']} remain: "
            f"{', '.join(sorted(higher)[:10])}. Lower their class first.",
            fields={"safety_class": "Below its items."},
        )
    before = {k: getattr(system, k) for k in after}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput("Nothing changed.", fields={"name": "Unchanged."})
    for k, v in after.items():
        setattr(system, k, v)
    system.save(update_fields=list(after))
    audit.record(
        actor=actor,
        action="design.software.edited",
        obj=system,
        changes=changes,
        reason=text(reason, "reason", limit=500) if reason else "",
    )
    return system


@audit.writing()
def record_evidence(
    *,
    actor: User,
    system: SoftwareSystem,
    code: str,
    document: Any = None,
    baseline: Baseline | None = None,
    test_run: TestRun | None = None,
    note: str = "",
) -> DeliverableEvidence:
    """The evidence of one deliverable (replacing what was recorded before)."""
    require(actor, EDIT)
    deliverable = DELIVERABLE_CODES.get(str(code))
    if deliverable is None:
        raise InvalidInput(f"There is no deliverable “{code}”.", fields={"code": "Unknown."})
    note = long_text(note, "note", limit=5_000)
    if document is None and baseline is None and test_run is None and not note:
        raise InvalidInput(
            "Give the evidence: a controlled document, a baseline, a test run or a note.",
            fields={"note": "Required without a record."},
        )
    project_id = getattr(baseline or test_run, "project_id", None)
    if project_id is not None:
        _same_device(system, project_id)
    now = timezone.now()
    row = DeliverableEvidence.objects.select_for_update().filter(system=system, code=code).first()
    before = _evidence_text(row) if row else None
    if row is None:
        row = DeliverableEvidence(system=system, code=code)
    row.document, row.baseline, row.test_run, row.note = document, baseline, test_run, note
    row.recorded_at, row.recorded_by = now, actor
    row.save()
    audit.record(
        actor=actor,
        action="design.software.evidence",
        obj=system,
        changes={f"{deliverable.clause} {deliverable.name}": [before, _evidence_text(row)]},
    )
    return row


def _same_device(system: SoftwareSystem, project_id: int) -> None:
    projects = DesignProject.objects.filter(pk=project_id)
    device_id = projects.values_list("device_id", flat=True).first()
    if device_id is not None and device_id != system.device_id:
        raise InvalidInput(
            "That baseline or test run belongs to another device's design project.",
            fields={"baseline": "Another device."},
        )


def _evidence_text(row: DeliverableEvidence) -> str:
    parts = []
    if row.document_id:
        parts.append(f"document {row.document}")
    if row.baseline_id:
        parts.append(f"baseline {row.baseline}")
    if row.test_run_id:
        parts.append(f"test run {row.test_run}")
    if row.note:
        parts.append(row.note)
    return "; ".join(parts)


@audit.writing()
def create_software_item(
    *,
    actor: User,
    system: SoftwareSystem,
    name: str,
    safety_class: str,
    parent: SoftwareItem | None = None,
    is_unit: bool = False,
    description: str = "",
) -> SoftwareItem:
    require(actor, EDIT)
    name = text(name, "name", limit=100)
    safety_class = choice(safety_class, SafetyClass, "safety_class")
    # IEC 62304 4.3 d): a software item is classified no higher than its system.
    if class_rank(safety_class) > class_rank(system.safety_class):
        raise InvalidInput(
            f"A software item cannot be class {safety_class} in a class "
            f"{system.safety_class} system: an item's class is at most its system's.",
            fields={"safety_class": f"At most {system.safety_class}."},
        )
    if parent is not None:
        if parent.system_id != system.pk:
            raise InvalidInput("The parent is in another system.", fields={"parent": "?"})
        if parent.is_unit:
            raise InvalidInput(
                f"{parent.name} is a unit: a unit is not divided further.",
                fields={"parent": "A unit."},
            )
    if SoftwareItem.objects.filter(system=system, name__iexact=name).exists():
        raise InvalidInput(f"{system} already has an item “{name}”.", fields={"name": "Taken."})
    found = SoftwareItem.objects.create(
        system=system,
        parent=parent,
        name=name,
        is_unit=bool(is_unit),
        description=long_text(description, "description", limit=10_000),
        safety_class=safety_class,
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.software_item.created",
        obj=found,
        changes={
            "system": [None, str(system)],
            "parent": [None, parent.name if parent else None],
            "name": [None, name],
            "is_unit": [None, found.is_unit],
            "safety_class": [None, safety_class],
            "description": [None, found.description],
        },
    )
    return found
