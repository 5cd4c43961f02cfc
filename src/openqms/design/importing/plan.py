"""Which reader reads which file, and the plan of a whole import: a folder of .sdoc
files (read recursively), one .sdoc, one .reqif/.reqifz, or one .csv — from disk (the
command) or as uploaded files (the page and the API)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from openqms.design.actions.import_plan import Plan
from openqms.design.importing import csv_in, reqif_in, sdoc
from openqms.design.importing.limits import size_problems
from openqms.design.models import ItemType

SUFFIXES = (".sdoc", ".reqif", ".reqifz", ".csv")


def read_path(path: str | Path) -> Plan:
    """The plan of the file or folder at `path` (problems name files as given)."""
    root = Path(path)
    if root.is_dir():
        found = sorted(p for p in root.rglob("*.sdoc") if p.is_file())
        if not found:
            plan = Plan()
            plan.problem(str(root), 0, "This folder holds no .sdoc file.")
            return plan
    elif root.is_file():
        found = [root]
    else:
        plan = Plan()
        plan.problem(str(root), 0, "There is no such file or folder.")
        return plan
    too_big = size_problems((str(p), p.stat().st_size) for p in found)
    if too_big:  # refused before reading
        plan = Plan()
        for problem in too_big:
            plan.problem(*problem)
        return plan
    return read_files([(str(p), p.read_bytes()) for p in found])


def read_files(files: list[tuple[str, bytes]]) -> Plan:
    """The plan of these files (name, content): .sdoc files, or one ReqIF or CSV file."""
    plan = Plan()
    too_big = size_problems((name, len(data)) for name, data in files)
    for problem in too_big:
        plan.problem(*problem)
    if too_big:
        return plan
    type_words = {w.lower() for pair in ItemType.objects.values_list("code", "name") for w in pair}
    kinds = {Path(name).suffix.lower() for name, _ in files}
    if len(files) > 1 and kinds != {".sdoc"}:
        plan.problem(files[0][0], 0, "Import several .sdoc files, or one ReqIF or CSV file.")
        return plan
    for name, data in files:
        plan.files.append((name, hashlib.sha256(data).hexdigest()))
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            plan.problem(name, 0, "Not a file OpenQMS imports (.sdoc, .reqif, .reqifz, .csv).")
        elif suffix in (".reqif", ".reqifz"):
            reqif_in.parse_bytes(data, name, plan, type_words)
        else:
            try:
                content = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                plan.problem(name, line, "The file is not UTF-8 text.")
                continue
            (sdoc.parse if suffix == ".sdoc" else csv_in.parse)(content, name, plan)
    return plan
