"""How validation reports reach pages: only holders of validation.report:read (QA
leads, administrators, auditors) see them; anyone else meets the same 404 as for a
report that does not exist. Approving needs validation.report:approve, checked again by
the signed step."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core.access import get_member_record, has_permission, require_member_holding
from openqms.core.models import User
from openqms.validation.models import ValidationReport
from openqms.validation.registry import READ


def visible_reports(user: User) -> QuerySet[ValidationReport]:
    require_member_holding(user, READ)
    return ValidationReport.objects.select_related("json_file", "pdf_file", "compared_with")


def get_report_for_user(user: User, pk: int) -> ValidationReport:
    return get_member_record(user, visible_reports(user), pk, permission=READ)


def can_read(user: User) -> bool:
    return has_permission(user, READ)
