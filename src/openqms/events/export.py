"""Any kind's list as CSV or XLSX: one row per record from its `export_row()`, oldest
number last, with an "as of" line naming the time zone (as the training matrix's XLSX
does). Health data never leaves this way: `export_row()` leaves it out, and any column
a module declares as health data is dropped here again, whoever asks. Cells typed by
people are made safe for spreadsheets (core.spreadsheet.safe)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from openpyxl import Workbook

from openqms.core import confidentiality
from openqms.core.spreadsheet import safe
from openqms.events.kinds import Kind

CHUNK = 2000


def as_of_line(moment: dt.datetime | None = None) -> str:
    local = timezone.localtime(moment or timezone.now())
    zone = timezone.get_current_timezone_name()
    return f"As of {local:%d %b %Y %H:%M} {local.tzname()} ({zone})"


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return safe(str(value))


def rows(kind: Kind, model: type[Model], records: QuerySet) -> Iterator[list[Any]]:
    """The heading row, then one row per record (health-data columns dropped)."""
    hidden = set(confidentiality.health_fields(kind.model.lower()))
    heading: list[str] | None = None
    for record in records.iterator(chunk_size=CHUNK):
        row = {k: v for k, v in record.export_row().items() if k not in hidden}
        if heading is None:
            heading = list(row)
            yield [h.replace("_", " ") for h in heading]
        yield [_cell(row.get(h)) for h in heading]
    if heading is None:
        yield ["number", "title", "state", "device", "owner", "opened at", "closed at"]


def as_csv(kind: Kind, model: type[Model], records: QuerySet, now: dt.datetime) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{kind.plural} — {as_of_line(now)}"])
    for row in rows(kind, model, records):
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(kind: Kind, model: type[Model], records: QuerySet, now: dt.datetime) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.plural[:31])
    sheet.append([f"{kind.plural} — {as_of_line(now)}"])
    for row in rows(kind, model, records):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
