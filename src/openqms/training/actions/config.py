"""Training configuration: a document type's rule, a person's department and manager,
and the competencies job roles can require."""

from __future__ import annotations

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import DocumentType
from openqms.training.models import Competency, CompetencyKind, Employee, TrainingRule
from openqms.training.registry import MANAGE


@audit.writing()
def update_training_rule(
    *,
    actor: User,
    doc_type: DocumentType,
    due_days: int,
    gate: bool,
    effectiveness_check: bool,
    reason: str,
) -> TrainingRule:
    """A document type's training rule; a change says why (kept with the audit event)."""
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    if not 1 <= due_days <= 365:
        raise InvalidInput(
            "Give between 1 and 365 days to complete training.", fields={"due_days": "1–365."}
        )
    rule, _ = TrainingRule.objects.select_for_update().get_or_create(doc_type=doc_type)
    new = {"due_days": due_days, "gate": gate, "effectiveness_check": effectiveness_check}
    changes = audit.diff({k: getattr(rule, k) for k in new}, new)
    if not changes:
        raise InvalidInput("Nothing changed.")
    for field, value in new.items():
        setattr(rule, field, value)
    rule.save()
    audit.record(
        actor=actor,
        action="training.rule.updated",
        obj=doc_type,
        changes={"type": doc_type.code, **changes},
        reason=reason,
    )
    return rule


@audit.writing()
def update_employee(
    *, actor: User, person: User, department: str, manager: User | None
) -> Employee:
    require(actor, MANAGE)
    department = clean_text(department, "department", required=False, limit=100)
    if manager is not None and manager.pk == person.pk:
        raise InvalidInput("Nobody is their own manager.", fields={"manager": "Same person."})
    if manager is not None and not manager.is_active:
        raise InvalidInput(f"{manager.full_name} is deactivated.", fields={"manager": "Inactive."})
    employee, _ = Employee.objects.select_for_update().get_or_create(user=person)
    before = {
        "department": employee.department,
        "manager": employee.manager.username if employee.manager else None,
    }
    after = {"department": department, "manager": manager.username if manager else None}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput("Nothing changed.")
    employee.department, employee.manager = department, manager
    employee.save()
    audit.record(actor=actor, action="training.employee.updated", obj=person, changes=changes)
    return employee


@audit.writing()
def create_competency(
    *,
    actor: User,
    name: str,
    kind: str,
    description: str = "",
    validity_months: int | None = None,
) -> Competency:
    require(actor, MANAGE)
    name = clean_text(name, "name", limit=150)
    if kind not in CompetencyKind.values:
        raise InvalidInput("Choose the kind of competency.", fields={"kind": "Unknown."})
    if validity_months is not None and not 1 <= validity_months <= 240:
        raise InvalidInput(
            "Validity is between 1 and 240 months, or empty if it does not expire.",
            fields={"validity_months": "1–240."},
        )
    if Competency.objects.filter(name__iexact=name).exists():
        raise InvalidInput(f"A competency “{name}” exists already.", fields={"name": "Taken."})
    competency = Competency.objects.create(
        name=name,
        kind=kind,
        description=clean_text(description, "description", required=False, limit=2000),
        validity_months=validity_months,
    )
    audit.record(
        actor=actor,
        action="training.competency.created",
        obj=competency,
        changes={
            "name": [None, name],
            "kind": [None, kind],
            "validity_months": [None, validity_months],
        },
    )
    return competency
