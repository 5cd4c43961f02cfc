"""How supplier records reach views, endpoints and commands: everyone holding a role
reads the register (the approved supplier list is used by purchasing, engineering and
audit alike); someone with no rights at all reads nothing. Changes need
suppliers.supplier:manage, checked again by each action. Missing and forbidden look the
same (NotFound)."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.access import get_member_record, require_member, visible_to_members
from openqms.core.models import User
from openqms.suppliers.models import (
    Evaluation,
    OutsourcedProcess,
    PerformanceRecord,
    Supplier,
    SupplierCertificate,
)

require_reader = require_member


def visible_suppliers(user: User) -> QuerySet[Supplier]:
    return Supplier.objects.visible_to(user)


def get_supplier_for_user(user: User, pk: int, *, need: str | None = None) -> Supplier:
    return get_member_record(user, Supplier.objects.all(), pk, permission=need)


def get_evaluation_for_user(user: User, pk: int, *, need: str | None = None) -> Evaluation:
    return get_member_record(
        user, Evaluation.objects.select_related("supplier", "evaluator"), pk, permission=need
    )


def get_certificate_for_user(
    user: User, pk: int, *, need: str | None = None
) -> SupplierCertificate:
    return get_member_record(
        user, SupplierCertificate.objects.select_related("supplier"), pk, permission=need
    )


def get_performance_for_user(user: User, pk: int, *, need: str | None = None) -> PerformanceRecord:
    return get_member_record(
        user, PerformanceRecord.objects.select_related("supplier"), pk, permission=need
    )


def visible_outsourced(user: User) -> QuerySet[OutsourcedProcess]:
    return visible_to_members(user, OutsourcedProcess.objects.all())


def get_outsourced_for_user(user: User, pk: int, *, need: str | None = None) -> OutsourcedProcess:
    return get_member_record(
        user,
        OutsourcedProcess.objects.select_related(
            "partner", "process", "agreement", "partner_certificate"
        ),
        pk,
        permission=need,
    )
