"""`openqms evidence junit FILE --project NAME --baseline NAME [--commit C] [--build B]
--as USER`: CI's JUnit XML results into an open baseline (design.actions.evidence).
Prints the counts and the cases naming no item; exit 1 on a refusal (nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.design.actions.evidence import ingest_junit
from openqms.design.junit import MAX_BYTES
from openqms.design.models import Baseline, DesignProject

UNLINKED_SHOWN = 50


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="The JUnit XML file CI wrote")
    parser.add_argument("--project", required=True, help="The design project's name")
    parser.add_argument("--baseline", required=True, help="The open baseline's name")
    parser.add_argument("--commit", default="", help="The commit the tests ran on")
    parser.add_argument("--build", default="", help="The CI build (number or URL)")
    parser.add_argument(
        "--as", dest="actor", required=True, help="Username the evidence is recorded by"
    )


def _refuse(command: Any, message: str) -> int:
    command.stderr.write(f"refused: {message} Nothing was written.")
    return 1


def handle(command: Any, opts: dict) -> int:
    actor = User.objects.filter(username=opts["actor"]).first()
    if actor is None or not actor.is_active:
        return _refuse(command, f"--as {opts['actor']}: no active user of that name.")
    project = DesignProject.objects.filter(name=opts["project"]).first()
    if project is None:
        return _refuse(command, f"There is no design project “{opts['project']}”.")
    baseline = Baseline.objects.filter(project=project, name=opts["baseline"]).first()
    if baseline is None:
        return _refuse(command, f"{project.name} has no baseline “{opts['baseline']}”.")
    path = Path(opts["file"])
    try:
        if path.stat().st_size > MAX_BYTES:
            return _refuse(command, f"{path} is larger than {MAX_BYTES // 2**20} MB.")
        data = path.read_bytes()
    except OSError as exc:
        return _refuse(command, f"Cannot read {path}: {exc.strerror}.")
    try:
        run = ingest_junit(
            actor=actor,
            baseline=baseline,
            data=data,
            file_name=path.name,
            commit=opts["commit"],
            build=opts["build"],
        )
    except DomainError as exc:
        return _refuse(command, exc.message)
    s = run.summary
    command.stdout.write(
        f"{run.file_name} → {project.name} · {baseline.name}: {run.cases} cases, "
        f"{s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped, "
        f"{run.linked} linked to items, {s['unlinked']} unlinked."
    )
    unlinked = run.results.filter(item=None).order_by("pk").values_list("case", flat=True)
    for name in unlinked[:UNLINKED_SHOWN]:
        command.stdout.write(f"unlinked: {name}")
    if s["unlinked"] > UNLINKED_SHOWN:
        command.stdout.write(f"… and {s['unlinked'] - UNLINKED_SHOWN} more (see the run page)")
    for case, uid in s["unknown"]:
        command.stdout.write(f"unknown ID {uid} in {case}")
    return 0
