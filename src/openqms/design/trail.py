"""What the audit trail calls design records, and where they are: every model of the
module by its own name (everyone with a role reads design records). One query per kind
of record on the page, whatever the number of events."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import as_text, ids_of
from openqms.design.access import is_reader

# Records without a page of their own open where they are shown.
ELSEWHERE = {
    "design.link": lambda link: link.source.get_absolute_url(),
    "design.testrun": lambda run: reverse("design:evidence_run", args=[run.pk]),
    "design.testresult": lambda result: reverse("design:evidence_run", args=[result.run_id]),
}
SEARCHED = ("uid", "number", "name", "title")


def _models() -> Iterator[tuple[str, type[models.Model]]]:
    for model in apps.get_app_config("design").get_models():
        yield f"design.{model._meta.model_name}", model


def _url(object_type: str, row: models.Model) -> str:
    if object_type in ELSEWHERE:
        return ELSEWHERE[object_type](row)
    return row.get_absolute_url() if hasattr(row, "get_absolute_url") else ""


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    readable = is_reader(viewer)
    for object_type, model in _models():
        ids = ids_of(keys, object_type)
        if not ids:
            continue
        for row in model._default_manager.filter(pk__in=ids).select_related():
            url = _url(object_type, row) if readable else ""
            label = f"{str(model._meta.verbose_name).capitalize()} {row}"
            found[(object_type, str(row.pk))] = RecordRef(label, url, readable)
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """A design record's ID, number, name or title."""
    if not is_reader(viewer):
        return []
    found = []
    for object_type, model in _models():
        names = {f.name for f in model._meta.get_fields()}
        fields = [f for f in SEARCHED if f in names]
        if not fields:
            continue
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": text})
        found.append((object_type, as_text(model._default_manager.filter(query))))
    return found
