"""OpenQMS's side, in-process on a scratch database (like quality_events.py): import the
`.sdoc` folder, the full trace check plus the matrix export to CSV, the incremental
update after one edit, and peak memory.

Written against the interfaces of issue 13's slices: design.importing.import_path,
design.trace.full_check / gaps, design.matrix.write_csv and
design.actions.items.edit_item (which keeps the gap state current via trace.refresh).

Timings are taken without tracemalloc (it slows Python down several times); each
measured step is then repeated once under tracemalloc for its peak (the incremental
step with a second, different edit). The memory target is judged on the process's
peak resident size (ru_maxrss: Django, the import and every step), the figure
comparable to the baselines' peak RSS."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_env import environment

DATABASE = "openqms_tracebench"


def _peak_mb(step: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _count(value: Any) -> int:
    """ImportResult's items/links: a count, or the rows themselves."""
    return value if isinstance(value, int) else len(value)


def _rss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def run(engine: str, size: int, sdoc: Path, edit_uid: str) -> dict:
    """Every figure of our side at one size on one engine, in this (fresh) process."""
    with tempfile.TemporaryDirectory(prefix="tracebench-ours-") as data_dir:
        environment(engine, data_dir, DATABASE)
        # Migrations in a process of their own: loading every migration costs this one
        # ~40 MB of peak RSS that a server process never carries.
        migrate = [sys.executable, "-m", "django", "migrate", "--verbosity", "0"]
        subprocess.run(migrate, check=True)
        import django

        django.setup()
        from openqms.design import importing, matrix, trace
        from openqms.design.actions.items import edit_item
        from openqms.design.models import Gap, Item, Link
        from openqms.testing import make_cast

        actor = make_cast().author
        # Django and the cast, before any item: what the figure below
        # carries whatever the size.
        result: dict = {"engine": engine, "size": size, "rss_after_setup_mb": _rss_mb()}

        start = time.perf_counter()
        imported = importing.import_path(actor=actor, path=str(sdoc), project_name=f"Bench{size}")
        result["import_s"] = time.perf_counter() - start
        result["imported_items"] = _count(imported.items)
        result["imported_links"] = _count(imported.links)
        result["items_per_s"] = result["imported_items"] / result["import_s"]
        project_id = imported.project.pk
        if engine == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        csv_path = Path(data_dir) / "matrix.csv"

        def check_and_export() -> tuple[int, int]:
            found = trace.full_check(project_id)
            with csv_path.open("w", newline="", encoding="utf-8") as out:
                rows = matrix.write_csv(project_id, out)
            return len(found), rows

        start, cpu = time.perf_counter(), time.process_time()
        result["gaps_full"], result["matrix_rows"] = check_and_export()
        result["check_export_s"] = time.perf_counter() - start
        # This process's CPU only (on PostgreSQL the server's work is not in it).
        result["check_export_cpu_s"] = time.process_time() - cpu
        result["check_export_peak_mb"] = _peak_mb(check_and_export)

        item = Item.objects.get(project_id=project_id, uid=edit_uid)

        def edit_and_read(mark: str) -> int:
            """The edit (its transaction brings the stored gap state up to date), then the
            gaps a person sees next: those of the item and of the items linked to it."""
            current = Item.objects.get(pk=item.pk)
            edit_item(
                actor=actor,
                item=current,
                title=current.title,
                text_=f"{current.text} {mark}",
                reason="benchmark edit",
            )
            near = {item.pk}
            near |= set(Link.objects.filter(source=item).values_list("target_id", flat=True))
            near |= set(Link.objects.filter(target=item).values_list("source_id", flat=True))
            return Gap.objects.filter(item_id__in=near).count()

        start = time.perf_counter()
        result["gaps_near_edit"] = edit_and_read("(edited once)")
        result["incremental_s"] = time.perf_counter() - start
        result["incremental_peak_mb"] = _peak_mb(lambda: edit_and_read("(edited twice)"))
        # Reading the whole project's gaps afterwards (the check command's work, not the
        # update's), reported apart.
        start = time.perf_counter()
        result["gaps_after_edit"] = len(list(trace.gaps(project_id)))
        result["read_all_gaps_s"] = time.perf_counter() - start
        # The stored gap state after the edits must equal a check from scratch.
        result["stored_equals_full"] = sorted(
            (g.uid, g.rule) for g in trace.gaps(project_id)
        ) == sorted((g.uid, g.rule) for g in trace.full_check(project_id))
        result["peak_rss_mb"] = _rss_mb()
        return result
