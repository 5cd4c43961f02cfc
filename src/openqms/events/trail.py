"""What the audit trail calls quality records, and where they are: every kind in
events/kinds.py by its number and title (everyone with a role reads quality records;
health data in their events is masked by core for those without the grant)."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import as_text, ids_of
from openqms.events.access import is_reader
from openqms.events.kinds import KINDS
from openqms.events.models import ClockRule, EventProcedure, ReportabilityDecision

DECISION = "events.reportabilitydecision"
RULE, PROCEDURE = "events.clockrule", "events.eventprocedure"


def _models():
    for code, kind in KINDS.items():
        try:
            yield code, kind, apps.get_model(kind.model)
        except LookupError:  # an area not installed yet
            continue


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    readable = is_reader(viewer)
    for _code, kind, model in _models():
        object_type = kind.model.lower()
        for r in model.objects.filter(pk__in=ids_of(keys, object_type)):
            url = reverse(kind.url_name, args=[r.pk]) if readable else ""
            found[(object_type, str(r.pk))] = RecordRef(str(r), url, readable)
    for d in ReportabilityDecision.objects.filter(pk__in=ids_of(keys, DECISION)).select_related(
        "complaint"
    ):
        url = reverse("events:complaint", args=[d.complaint_id]) if readable else ""
        found[(DECISION, str(d.pk))] = RecordRef(str(d), url, readable)
    for k in ClockRule.objects.filter(pk__in=ids_of(keys, RULE)):
        found[(RULE, str(k.pk))] = RecordRef(f"Clock rule: {k}", "", readable)
    for p in EventProcedure.objects.filter(pk__in=ids_of(keys, PROCEDURE)):
        found[(PROCEDURE, str(p.pk))] = RecordRef(str(p), "", readable)
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """A record's number or title, for every kind."""
    if not is_reader(viewer):
        return []
    named = Q(number__icontains=text) | Q(title__icontains=text)
    return [
        (kind.model.lower(), as_text(model.objects.filter(named))) for _c, kind, model in _models()
    ]
