"""The FMEA view of the risk file (the same data as the hazards): one row per hazardous
situation — item/function, failure mode, effect, S and P before, controls, S and P after,
region — as a page and a CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.spreadsheet import safe
from openqms.design.models import ControlMeasure, HazardousSituation, RiskFile
from openqms.design.views.risk.common import PAGE_SIZE, get_file

COLUMNS = [
    "ID",
    "Item / function",
    "Failure mode (hazard, sequence of events)",
    "Effect (harm)",
    "S",
    "P",
    "Region",
    "Controls",
    "Residual S",
    "Residual P",
    "Residual region",
    "Evaluated",
]


def rows_of(file: RiskFile) -> QuerySet[HazardousSituation]:
    """The FMEA's rows: retired situations and controls are left out."""
    active = ControlMeasure.objects.filter(retired_at__isnull=True).select_related("item")
    found = HazardousSituation.objects.filter(file=file, retired_at__isnull=True)
    found = found.select_related("hazard", "item")
    return found.prefetch_related(Prefetch("controls", queryset=active)).order_by("number")


def fmea(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk)
    page = Paginator(rows_of(file), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "design/risk/fmea.html", {"file": file, "page": page})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(file: RiskFile) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for s in rows_of(file).iterator(chunk_size=500):
        controls = "; ".join(
            f"{c.item.uid + ' ' if c.item else ''}{c.get_kind_display()}: {c.description}"
            for c in s.controls.all()
        )
        yield writer.writerow(
            # Hazards, harms and controls are typed by people: text, never formulas.
            safe(cell)
            for cell in [
                s.code,
                s.hazard.category or s.hazard.title,
                f"{s.hazard.code} {s.hazard.title}: {s.sequence}",
                s.harm,
                s.severity,
                s.probability,
                s.get_region_display(),
                controls,
                s.residual_severity or "",
                s.residual_probability or "",
                s.get_residual_region_display() if s.residual_region else "",
                "yes" if s.evaluated_at else "no",
            ]
        )


def fmea_csv(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    file = get_file(request, pk)
    response = StreamingHttpResponse(_lines(file), content_type="text/csv; charset=utf-8")
    name = f"fmea-{file.device.name}".replace(" ", "-").replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
