"""`openqms evidence sbom FILE --system ID-or-"DEVICE / NAME" --as USER`: read a
CycloneDX SBOM (JSON, or XML 1.4–1.6) into a software system's SOUP list
(design.sbom.ingest_sbom)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.design.models import SoftwareSystem
from openqms.design.sbom import SIZE_LIMIT, ingest_sbom


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="CycloneDX SBOM (JSON, or XML 1.4-1.6)")
    parser.add_argument(
        "--system", required=True, help='the software system: its ID or "DEVICE / NAME"'
    )
    parser.add_argument("--as", dest="as_user", required=True, help="the acting user's name")


def find_system(value: str) -> SoftwareSystem | None:
    value = str(value or "").strip()
    if value.isdigit():
        return SoftwareSystem.objects.filter(pk=int(value)).first()
    device, _, name = value.partition("/")
    return SoftwareSystem.objects.filter(
        device__name__iexact=device.strip(), name__iexact=name.strip()
    ).first()


def handle(command: Any, opts: dict) -> int:
    actor = User.objects.filter(username=opts["as_user"]).first()
    if actor is None or not actor.is_active:
        command.stderr.write(f"There is no active user “{opts['as_user']}”.")
        return 2
    system = find_system(opts["system"])
    if system is None:
        command.stderr.write(
            f'There is no software system “{opts["system"]}” (give its ID or "DEVICE / NAME").'
        )
        return 2
    path = Path(opts["file"])
    if not path.is_file():
        command.stderr.write(f"There is no file {path}.")
        return 2
    if path.stat().st_size > SIZE_LIMIT:
        command.stderr.write(f"{path.name} is larger than {SIZE_LIMIT // 1024 // 1024} MB.")
        return 1
    try:
        found = ingest_sbom(actor=actor, system=system, data=path.read_bytes(), file_name=path.name)
    except DomainError as error:
        command.stderr.write(error.message)
        return 1
    s = found.summary
    command.stdout.write(
        f"{path.name}: {found.components} components into {system}: "
        f"{len(s['added'])} added, {len(s['upgraded'])} upgraded, {len(s['removed'])} removed, "
        f"{s['unchanged']} unchanged."
    )
    for row in s["added"]:
        command.stdout.write(f"  added     {row['name']} {row['version']} (needs review)")
    for row in s["upgraded"]:
        command.stdout.write(
            f"  upgraded  {row['name']} {row['from']} → {row['to']} (needs review)"
        )
    for row in s["removed"]:
        command.stdout.write(f"  removed   {row['name']} {row['version']}")
    return 0
