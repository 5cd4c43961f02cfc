"""CSV in: UTF-8, a header row with uid, type, title, text, parent (and optionally kind);
every other column is an attribute. `parent` may name several UIDs separated by `;` or
spaces (this item → each of them); `kind` applies to all of them."""

from __future__ import annotations

import csv
import io
import re

from openqms.design.actions.import_plan import Plan, PlanItem, PlanLink

REQUIRED = ("uid", "type", "title", "text", "parent")


def parse(content: str, name: str, plan: Plan) -> None:
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        plan.problem(name, 1, "The CSV file is empty (it needs a header row).")
        return
    except csv.Error as exc:
        plan.problem(name, 1, f"Not a readable CSV file: {exc}.")
        return
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        plan.problem(
            name, 1, f"The header row lacks {', '.join(missing)} (it needs {', '.join(REQUIRED)})."
        )
        return
    extra = [h for h in header if h not in (*REQUIRED, "kind")]
    while True:
        number = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            plan.problem(name, number, f"Cannot read this row: {exc}.")
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            plan.problem(
                name, number, f"This row has {len(row)} cells; the header has {len(header)}."
            )
            continue
        cells = dict(zip(header, row, strict=True))
        uid = cells["uid"].strip()
        if not uid:
            plan.problem(name, number, "This row has no uid.")
            continue
        attributes = {h: cells[h] for h in extra if cells[h].strip()}
        plan.items.append(
            PlanItem(uid, cells["type"].strip() or None, cells["title"], cells["text"],
                     attributes, name, number)
        )  # fmt: skip
        kind = cells.get("kind", "").strip().lower().replace(" ", "_") or None
        for parent in re.split(r"[;\s]+", cells["parent"].strip()):
            if parent:
                plan.links.append(PlanLink(uid, parent, kind, name, number))
