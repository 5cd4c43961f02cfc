"""Writing the archive's ZIP one part at a time, each part hashed as it is written, and
telling the person running it how far it got."""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# Lines are gathered up to this many bytes and written together: a write per line
# costs the compressor, the CRC and the digest a call each, a million times over.
LINES_BUFFER = 1 << 20


class Part:
    """One member being written: its bytes go to the ZIP and through SHA-256 together."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._digest = hashlib.sha256()
        self._lines: list[bytes] = []
        self._buffered = 0
        self.size = 0
        self.rows = 0

    def write(self, data: bytes) -> None:
        self.flush()
        self._write(data)

    def _write(self, data: bytes) -> None:
        self._stream.write(data)
        self._digest.update(data)
        self.size += len(data)

    def line(self, text: str) -> None:
        data = text.encode() + b"\n"
        self._lines.append(data)
        self._buffered += len(data)
        self.rows += 1
        if self._buffered >= LINES_BUFFER:
            self.flush()

    def flush(self) -> None:
        """Write the gathered lines (the part's bytes are the same either way)."""
        if self._lines:
            self._write(b"".join(self._lines))
            self._lines, self._buffered = [], 0

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class Progress:
    """A line per part on stderr; on a terminal, a running count while a part is written."""

    def __init__(self, stream: IO[str] | None = None, *, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()

    def tick(self, name: str, rows: int, total: int = 0) -> None:
        if not self.live:
            return
        if total:
            done = min(rows / total, 1.0)
            bar = "#" * int(done * 30)
            self.stream.write(f"\r  {name}: [{bar:<30}] {rows:,} of {total:,}")
        else:
            self.stream.write(f"\r  {name}: {rows:,} …")
        self.stream.flush()

    def done(self, name: str, what: str) -> None:
        if self.quiet:
            return
        clear = "\r\033[K" if self.live else ""  # the bar's line, wiped
        self.stream.write(f"{clear}  {name}: {what}\n")
        self.stream.flush()


class ArchiveWriter:
    def __init__(self, path: Path) -> None:
        # Readable by the owner only: an archive holds password hashes and second-factor
        # secrets (so that an imported instance signs people in as before).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.file = os.fdopen(fd, "wb")
        self.zip = zipfile.ZipFile(
            self.file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        )
        self.parts: dict[str, dict[str, Any]] = {}
        self.counts: dict[str, int] = {}

    @contextmanager
    def part(self, name: str, *, counted: bool = False) -> Iterator[Part]:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with self.zip.open(info, "w", force_zip64=True) as stream:
            part = Part(stream)
            yield part
            part.flush()
        self.parts[name] = {"sha256": part.sha256, "size": part.size}
        if counted:
            self.counts[name] = part.rows

    def close(self) -> None:
        self.zip.close()
        self.file.close()  # a ZipFile leaves a file it was given open
