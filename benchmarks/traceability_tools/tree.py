"""The issue's synthetic three-level tree, written for each tool.

10% system requirements (REQ-SYS-00001…), 45% software requirements (REQ-SW-00001…,
each with one Parent relation to a system requirement) and 45% tests (TEST-00001…, each
with one Parent relation to a software requirement). The same items and links go to
StrictDoc `.sdoc` files, a Sphinx project of sphinx-needs needs and a Doorstop tree."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FILE_LIMIT = 5_000  # items per file, at most


@dataclass(frozen=True)
class Node:
    level: str  # "sys", "sw", "test"
    number: int
    parent: int | None  # the number of its parent one level up

    @property
    def uid(self) -> str:
        return uid_of(self.level, self.number)

    @property
    def parent_uid(self) -> str | None:
        if self.parent is None:
            return None
        return uid_of("sys" if self.level == "sw" else "sw", self.parent)


PREFIX = {"sys": "REQ-SYS-", "sw": "REQ-SW-", "test": "TEST-"}
TITLE = {"sys": "System requirements", "sw": "Software requirements", "test": "Tests"}
LEVELS = ("sys", "sw", "test")


def uid_of(level: str, number: int) -> str:
    return f"{PREFIX[level]}{number:05d}"


def counts(size: int) -> dict[str, int]:
    sys_count = max(1, size // 10)
    sw_count = max(1, size * 45 // 100)
    return {"sys": sys_count, "sw": sw_count, "test": max(1, size - sys_count - sw_count)}


def nodes(size: int, level: str) -> Iterator[Node]:
    """The items of one level in order; children spread evenly over their parents."""
    n = counts(size)
    above = {"sys": None, "sw": "sys", "test": "sw"}[level]
    for number in range(1, n[level] + 1):
        parent = None if above is None else (number - 1) % n[above] + 1
        yield Node(level, number, parent)


def middle_sw_uid(size: int) -> str:
    """The software requirement the incremental update edits: one in the middle."""
    return uid_of("sw", counts(size)["sw"] // 2 + 1)


def _chunks(size: int, level: str) -> Iterator[tuple[int, list[Node]]]:
    block: list[Node] = []
    part = 1
    for node in nodes(size, level):
        block.append(node)
        if len(block) == FILE_LIMIT:
            yield part, block
            part, block = part + 1, []
    if block:
        yield part, block


def _text(node: Node) -> str:
    if node.level == "test":
        return f"Verify that the software meets {node.parent_uid} (case {node.number})."
    return f"The system shall perform function {node.number} of the {TITLE[node.level]}."


# --- StrictDoc -------------------------------------------------------------------------


def write_sdoc(size: int, folder: Path) -> int:
    """One `.sdoc` file per level and per FILE_LIMIT items; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for index, level in enumerate(LEVELS, start=1):
        for part, block in _chunks(size, level):
            lines = ["[DOCUMENT]", f"TITLE: {TITLE[level]} (part {part})", ""]
            for node in block:
                lines += [
                    "[REQUIREMENT]",
                    f"UID: {node.uid}",
                    f"TITLE: {node.uid.replace('-', ' ').title()}",
                    f"STATEMENT: {_text(node)}",
                ]
                if node.parent_uid:
                    lines += ["RELATIONS:", "- TYPE: Parent", f"  VALUE: {node.parent_uid}"]
                lines.append("")
            name = f"{index}-{level}-{part:03d}.sdoc"
            (folder / name).write_text("\n".join(lines), encoding="utf-8")
            written += 1
    return written


# --- sphinx-needs ----------------------------------------------------------------------

SPHINX_CONF = """\
project = "Traceability benchmark"
extensions = ["sphinx_needs"]
needs_id_regex = r"^[A-Z0-9_-]{5,}"
needs_id_required = True
needs_build_json = True
exclude_patterns = ["_build"]
"""


def _need_id(uid: str) -> str:
    return uid  # sphinx-needs takes the same IDs once needs_id_regex allows hyphens


def write_sphinx(size: int, folder: Path) -> int:
    """A Sphinx project: `.. req::` needs for both requirement levels and `.. test::`
    needs for tests, each with `:links:` to its parent; FILE_LIMIT needs per page."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    pages = []
    for index, level in enumerate(LEVELS, start=1):
        directive = "test" if level == "test" else "req"
        for part, block in _chunks(size, level):
            title = f"{TITLE[level]} (part {part})"
            lines = [title, "=" * len(title), ""]
            for node in block:
                lines += [
                    f".. {directive}:: {node.uid.replace('-', ' ').title()}",
                    f"   :id: {_need_id(node.uid)}",
                ]
                if node.parent_uid:
                    lines.append(f"   :links: {_need_id(node.parent_uid)}")
                lines += ["", f"   {_text(node)}", ""]
            name = f"{index}-{level}-{part:03d}"
            (folder / f"{name}.rst").write_text("\n".join(lines), encoding="utf-8")
            pages.append(name)
    index_rst = ["Traceability benchmark", "======================", "", ".. toctree::", ""]
    index_rst += [f"   {page}" for page in pages]
    (folder / "index.rst").write_text("\n".join(index_rst) + "\n", encoding="utf-8")
    return len(pages) + 2


# --- Doorstop --------------------------------------------------------------------------

DOORSTOP_DOCS = {"sys": ("SYS", None), "sw": ("SW", "SYS"), "test": ("TST", "SW")}


def doorstop_uid(level: str, number: int) -> str:
    return f"{DOORSTOP_DOCS[level][0]}-{number:05d}"


def write_doorstop(size: int, folder: Path) -> int:
    """Three Doorstop documents SYS ← SW ← TST in a git working copy (Doorstop finds
    its tree's root through the VCS); each item one YAML file with its parent link."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / ".git").exists():
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
    written = 0
    for level in LEVELS:
        prefix, parent = DOORSTOP_DOCS[level]
        doc = folder / prefix.lower()
        doc.mkdir(exist_ok=True)
        settings = ["settings:", "  digits: 5", f"  prefix: {prefix}", "  sep: '-'"]
        if parent:
            settings.append(f"  parent: {parent}")
        (doc / ".doorstop.yml").write_text("\n".join(settings) + "\n", encoding="utf-8")
        for node in nodes(size, level):
            links = "links: []"
            if node.parent is not None:
                up = "sys" if level == "sw" else "sw"
                links = f"links:\n- {doorstop_uid(up, node.parent)}: null"
            body = (
                "active: true\nderived: false\nheader: ''\n"
                f"level: 1.{node.number}\n{links}\nnormative: true\nref: ''\n"
                f"reviewed: null\ntext: |\n  {_text(node)}\n"
            )
            (doc / f"{doorstop_uid(level, node.number)}.yml").write_text(body, encoding="utf-8")
            written += 1
    return written
