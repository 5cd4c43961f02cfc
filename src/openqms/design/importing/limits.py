"""How much one import may read: checked from the sizes given (an upload's declared
size, a file's stat, a ZIP member's header) before anything is read, so a huge or
crafted file (a ZIP bomb in a .reqifz) is refused instead of filling the memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB
MAX_TOTAL_BYTES = 200 * MB
MAX_ZIP_MEMBERS = 100


def shown(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size} bytes"


def size_problems(sizes: Iterable[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """(file, 0, message) for each file over the per-file limit and for the whole."""
    problems, total = [], 0
    for name, size in sizes:
        total += size
        if size > MAX_FILE_BYTES:
            problems.append(
                (name, 0, f"The file is {shown(size)}: at most {shown(MAX_FILE_BYTES)}.")
            )
    if total > MAX_TOTAL_BYTES:
        problems.append(
            ("", 0, f"The files hold {shown(total)}: at most {shown(MAX_TOTAL_BYTES)}.")
        )
    return problems


def zip_problems(name: str, infos: list[Any]) -> list[tuple[str, int, str]]:
    """The member count and the declared uncompressed sizes of a .reqifz."""
    if len(infos) > MAX_ZIP_MEMBERS:
        return [(name, 0, f"The archive holds {len(infos)} files: at most {MAX_ZIP_MEMBERS}.")]
    return size_problems((f"{name}/{info.filename}", info.file_size) for info in infos)
