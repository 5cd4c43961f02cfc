"""Reading an instance's data folder from a test without disturbing its database.

The data folder may hold the SQLite database this very process has open. A POSIX lock
belongs to the process, not to a descriptor: closing any descriptor of a file releases
every lock the process holds on that file. Reading the database's files here (to hash
them) would so silently drop the locks SQLite counts on; a process opening the database
next (a chain-verify worker) then sees no one else attached, resets the shared-memory
index under this process's feet, and this process's next connection fails with "disk
I/O error". Another process has no locks to lose, so the folder is read there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_DIGESTS = """
import hashlib, json, sys
from pathlib import Path
root = Path(sys.argv[1])
json.dump(
    {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        )
        for p in root.rglob("*")
    },
    sys.stdout,
)
"""


def folder_digests(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 under `folder` ("folder" for each folder), read by a
    process of its own (see the module's note)."""
    done = subprocess.run(
        [sys.executable, "-c", _DIGESTS, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def locks_held(path: Path) -> set[tuple[str, str, str]]:
    """The POSIX locks this process holds on `path`: (READ or WRITE, first byte, last
    byte), from Linux's /proc/locks."""
    inode = path.stat().st_ino
    held = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if fields[1] != "POSIX":  # "->" marks a waiter; FLOCK and OFDLCK are not SQLite's
            continue
        kind, pid, file_id, first, last = fields[3], fields[4], fields[5], fields[6], fields[7]
        if int(pid) == os.getpid() and int(file_id.rsplit(":", 1)[1]) == inode:
            held.add((kind, first, last))
    return held
