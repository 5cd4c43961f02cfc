"""`openqms design import PATH --project NAME [--device D] --as USER [--dry-run]` and
`openqms design export-reqif --project NAME FILE`.

Import prints every problem as `file:line: message` and exits 1 when there is any
(nothing was written); on success it prints the counts. The progress goes to stderr:
a bar on a terminal (or with --progress), nothing otherwise."""

from __future__ import annotations

import sys
from typing import Any

from openqms.core.models import User
from openqms.design import reqif_export
from openqms.design.access import is_reader
from openqms.design.importing import ImportRefused, import_path
from openqms.design.models import DesignProject
from openqms.devices.models import Device


def add_arguments(parser: Any) -> None:
    parser.add_argument("path", help="A folder of .sdoc files, a .sdoc, .reqif, .reqifz or .csv")
    parser.add_argument("--project", required=True, help="The design project (made if new)")
    parser.add_argument("--device", help="The device (name or id) a new project belongs to")
    parser.add_argument("--as", dest="actor", required=True, help="The user who imports")
    parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing")
    parser.add_argument("--progress", action="store_true", help="Show progress even when piped")


def add_export_arguments(parser: Any) -> None:
    parser.add_argument("--project", required=True, help="The design project")
    parser.add_argument("file", help="The ReqIF file to write")
    parser.add_argument("--as", dest="actor", help="Accepted for symmetry; export writes nothing")


def user_named(command: Any, username: str | None) -> User | None:
    user = User.objects.filter(username=username or "").first()
    if user is None or not user.is_active:
        command.stderr.write(f"There is no active user “{username}” (--as).")
        return None
    return user


def device_named(command: Any, value: str | None) -> Device | bool | None:
    """The device, None when not named, False (after saying why) when not found."""
    if not value:
        return None
    found = Device.objects.filter(name=value).first()
    if found is None and value.isdigit():
        found = Device.objects.filter(pk=int(value)).first()
    if found is None:
        command.stderr.write(f"There is no device “{value}” (--device: a name or an id).")
        return False
    return found


class Bar:
    """progress(done, total, stage) as a bar on stderr, or nothing."""

    def __init__(self, stream: Any, show: bool) -> None:
        self.stream, self.show, self.last = stream, show, ""

    def __call__(self, done: int, total: int, stage: str) -> None:
        if not self.show:
            return
        share = done / total if total else 1.0
        filled = int(share * 30)
        line = f"\r{stage:<14} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def end(self) -> None:
        if self.show and self.last:
            self.stream.write("\n")


def handle(command: Any, opts: dict) -> int:
    actor = user_named(command, opts["actor"])
    device = device_named(command, opts.get("device"))
    if actor is None or device is False:
        return 1
    bar = Bar(sys.stderr, bool(opts.get("progress")) or sys.stderr.isatty())
    try:
        result = import_path(
            actor=actor,
            path=opts["path"],
            project_name=opts["project"],
            device=device or None,
            progress=bar,
            dry_run=bool(opts.get("dry_run")),
        )
    except ImportRefused as refused:
        bar.end()
        for file, line, message in refused.problems:
            command.stderr.write(f"{file}:{line}: {message}")
        command.stderr.write(f"{len(refused.problems)} problem(s); nothing was imported.")
        return 1
    bar.end()
    done = "would import" if result.dry_run else "imported"
    command.stdout.write(
        f"{opts['project']}: {done} {result.items} item(s) and {result.links} link(s) from "
        f"{len(result.files)} file(s); {result.skipped} item(s) already there unchanged."
    )
    for said in result.summary():
        command.stdout.write(said)
    return 0


def handle_export(command: Any, opts: dict) -> int:
    if opts.get("actor"):
        actor = user_named(command, opts["actor"])
        if actor is None:
            return 1
        if not is_reader(actor):
            command.stderr.write(f"{actor.username} may not read design records.")
            return 1
    project = DesignProject.objects.filter(name__iexact=opts["project"]).first()
    if project is None:
        command.stderr.write(f"There is no design project “{opts['project']}”.")
        return 1
    with open(opts["file"], "wb") as out:
        count = reqif_export.write(project, out)
    command.stdout.write(f"{project.name}: wrote {count} item(s) to {opts['file']}.")
    return 0
