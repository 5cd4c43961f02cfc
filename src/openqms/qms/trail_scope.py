"""The audit trail's names for the organisation's and the scope's records (qms/trail.py
NAMERS). Everyone signed in reads them (qms.access), so every event is readable."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordRef
from openqms.qms.models import (
    ApprovedBody,
    MarketRole,
    Organisation,
    ResponsiblePerson,
    ScopeNotification,
    ScopeVersion,
    Site,
)


def _ids(ids: Sequence[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) < 19]


def _simple(model: type[models.Model], label: str, url_name: str):
    def namer(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
        url = reverse(url_name)
        rows = model._default_manager.filter(pk__in=_ids(ids))
        return {str(row.pk): RecordRef(f"{label} {row}", url) for row in rows}

    return namer


def scopes(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    rows = ScopeVersion.objects.filter(pk__in=_ids(ids)).only("pk", "number")
    return {str(s.pk): RecordRef(str(s), reverse("qms:scope", args=[s.number])) for s in rows}


def notifications(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    rows = ScopeNotification.objects.filter(pk__in=_ids(ids)).select_related("scope")
    return {str(n.pk): RecordRef(str(n), reverse("qms:scope", args=[n.scope.number])) for n in rows}


NAMERS = {
    "qms.scopeversion": scopes,
    "qms.scopenotification": notifications,
    "qms.organisation": _simple(Organisation, "Organisation profile:", "qms:organisation"),
    "qms.marketrole": _simple(MarketRole, "Market role:", "qms:organisation"),
    "qms.site": _simple(Site, "Site", "qms:organisation"),
    "qms.approvedbody": _simple(ApprovedBody, "Approved body", "qms:organisation"),
    "qms.responsibleperson": _simple(
        ResponsiblePerson, "UK Responsible Person", "qms:organisation"
    ),
}
