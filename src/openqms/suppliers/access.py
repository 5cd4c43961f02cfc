"""How supplier records reach views, endpoints and commands: everyone holding a role
reads the register (the approved supplier list is used by purchasing, engineering and
audit alike); someone with no rights at all reads nothing. Changes need
suppliers.supplier:manage, checked again by each action. Missing and forbidden look the
same (NotFound)."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.access import has_permission, require_member
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.suppliers.models import (
    Evaluation,
    OutsourcedProcess,
    PerformanceRecord,
    Supplier,
    SupplierCertificate,
    is_reader,
)

require_reader = require_member


def _need(user: User, need: str | None) -> None:
    require_reader(user)
    if need is not None and not has_permission(user, need):
        raise NotFound()


def visible_suppliers(user: User) -> QuerySet[Supplier]:
    return Supplier.objects.visible_to(user)


def get_supplier_for_user(user: User, pk: int, *, need: str | None = None) -> Supplier:
    _need(user, need)
    found = Supplier.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def get_evaluation_for_user(user: User, pk: int, *, need: str | None = None) -> Evaluation:
    _need(user, need)
    found = Evaluation.objects.select_related("supplier", "evaluator").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def get_certificate_for_user(
    user: User, pk: int, *, need: str | None = None
) -> SupplierCertificate:
    _need(user, need)
    found = SupplierCertificate.objects.select_related("supplier").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def get_performance_for_user(user: User, pk: int, *, need: str | None = None) -> PerformanceRecord:
    _need(user, need)
    found = PerformanceRecord.objects.select_related("supplier").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def visible_outsourced(user: User) -> QuerySet[OutsourcedProcess]:
    if not is_reader(user):
        return OutsourcedProcess.objects.none()
    return OutsourcedProcess.objects.all()


def get_outsourced_for_user(user: User, pk: int, *, need: str | None = None) -> OutsourcedProcess:
    _need(user, need)
    found = (
        OutsourcedProcess.objects.select_related(
            "partner", "process", "agreement", "partner_certificate"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found
