"""Design items and links in from StrictDoc .sdoc files, ReqIF or CSV: read everything,
check everything, write everything in one transaction — or nothing, with every problem
named by file and line (design.actions.imports writes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openqms.core.models import User
from openqms.design.actions.import_plan import ImportRefused, Plan
from openqms.design.actions.imports import ImportResult, Progress, import_plan
from openqms.design.importing.limits import size_problems
from openqms.design.importing.plan import read_files, read_path

__all__ = ["ImportRefused", "ImportResult", "import_files", "import_path", "read_uploads"]


def read_uploads(files: list[Any]) -> list[tuple[str, bytes]]:
    """(name, content) of uploaded files (the page and the API), their declared sizes
    checked first: ImportRefused before anything over the limits is read."""
    problems = size_problems((f.name or "upload", f.size or 0) for f in files)
    if problems:
        raise ImportRefused(problems)
    return [(f.name or "upload", f.read()) for f in files]


def import_path(
    *,
    actor: User,
    path: str | Path,
    project_name: str,
    device: Any = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import the .sdoc folder or file, ReqIF file or CSV at `path` into the project
    `project_name` (made when missing, attached to `device`). Raises ImportRefused with
    every problem; then nothing was written."""
    if progress:
        progress(0, 1, "reading")
    plan = read_path(path)
    return _run(actor, plan, project_name, device, progress, dry_run)


def import_files(
    *,
    actor: User,
    files: list[tuple[str, bytes]],
    project_name: str,
    device: Any = None,
    dry_run: bool = False,
) -> ImportResult:
    """The same for uploaded files (name, content): the page and the API."""
    return _run(actor, read_files(files), project_name, device, None, dry_run)


def _run(
    actor: User, plan: Plan, project_name: str, device: Any, progress: Progress | None,
    dry_run: bool,
) -> ImportResult:  # fmt: skip
    return import_plan(
        actor=actor,
        plan=plan,
        project_name=project_name,
        device=device,
        progress=progress,
        dry_run=dry_run,
    )
