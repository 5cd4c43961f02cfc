"""`openqms design check --project NAME [--export FILE] [--from TYPE --to TYPE]
[--rebuild]`: every gap of the trace, recomputed from scratch (design.trace.full_check),
exit 1 when there is any, 0 when none, 2 when the project is unknown. It also says when
the stored gap state (what pages and the API show) disagrees with the fresh check: an
integrity finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from openqms.core.errors import InvalidInput
from openqms.design import trace
from openqms.design.matrix import exports
from openqms.design.models import DesignProject


def add_arguments(parser: Any) -> None:
    parser.add_argument("--project", required=True, help="The design project's name")
    parser.add_argument(
        "--export", metavar="FILE", help="Also write the trace matrix (.csv, .xlsx, .pdf, .html)"
    )
    parser.add_argument("--from", dest="from_type", help="Matrix from this item type (code)")
    parser.add_argument("--to", dest="to_type", help="Matrix to this item type (code)")
    parser.add_argument(
        "--rebuild", action="store_true", help="Recompute the stored gap state from scratch first"
    )


def handle(command: Any, opts: dict) -> int:
    project = DesignProject.objects.filter(name__iexact=str(opts["project"] or "")).first()
    if project is None:
        command.stderr.write(f"There is no design project “{opts['project']}”.")
        return 2
    export = Path(opts["export"]) if opts.get("export") else None
    if export is not None and export.suffix.lower() not in exports.FORMATS:
        command.stderr.write(
            f"Cannot export to “{export.name}”: name a .csv, .xlsx, .pdf or .html file."
        )
        return 2
    if opts.get("rebuild"):
        with transaction.atomic():
            count = trace.rebuild(project.pk)
        command.stdout.write(f"Stored gap state rebuilt: {count} gaps.")
    rows = trace.full_check(project.pk)
    for row in rows:
        command.stdout.write(f"{row.uid}\t{row.message}\t{row.detail}")
    disagree = _disagreements(project.pk, rows)
    for line in disagree:
        command.stdout.write(line)
    items = len({row.item_id for row in rows})
    command.stdout.write(
        f"{project.name}: {len(rows)} gaps in {items} items"
        + (f"; the stored gap state disagrees on {len(disagree)} gaps" if disagree else "")
        + "."
    )
    if export is not None:
        try:
            written = exports.write_file(
                project, export, from_type=opts.get("from_type"), to_type=opts.get("to_type")
            )
        except InvalidInput as exc:
            command.stderr.write(exc.message)
            return 2
        command.stdout.write(f"Matrix written to {export} ({written} rows).")
    return 1 if rows else 0


def _disagreements(project_id: int, rows: list[trace.GapRow]) -> list[str]:
    fresh = {(r.uid, r.rule, r.detail) for r in rows}
    stored = {(r.uid, r.rule, r.detail) for r in trace.gaps(project_id)}
    return [
        f"Integrity: the stored gap state lacks {uid} {rule} ({detail})"
        for uid, rule, detail in sorted(fresh - stored)
    ] + [
        f"Integrity: the stored gap state still has {uid} {rule} ({detail})"
        for uid, rule, detail in sorted(stored - fresh)
    ]
