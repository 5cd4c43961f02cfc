#!/usr/bin/env python3
"""Benchmark of `openqms backup` and `openqms restore`: the recovery time to expect.

    .venv/bin/python benchmarks/backup_restore.py                           # SQLite
    .venv/bin/python benchmarks/backup_restore.py --engine postgresql \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres

In a scratch directory (and, on PostgreSQL, two scratch databases it creates and drops),
it makes an instance with an audit key, fills it with `--events` audit events (through
`audit.record`, sealed) and `--files` stored files of 1 MB, then times, each as the
operator runs it (a fresh `openqms` process):

- `openqms audit checkpoint` first, as the tick makes one every five minutes: the
  backup's own checkpoint then checks only the events written since, as in production;
- `openqms backup DIR`, against the baseline of copying the same data without OpenQMS
  (SQLite: the `sqlite3` backup API and `cp -r` of the file store; PostgreSQL: a bare
  `pg_dump --format=custom` and `cp -r`), so the overhead of the checkpoint, the hashing
  and the manifest shows;
- `openqms migrate` of the empty instance and `openqms restore DIR` into it, which
  includes the full integrity check (`openqms verify`) of what was restored;
- `openqms verify` on its own, for comparison.

The restore's time plus the time to set up a host is the recovery time objective of a
restore from `openqms backup` (docs/admin-guide.md, "Recovery objectives").
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

OPENQMS = [sys.executable, "-m", "openqms"]
AUDIT = [*OPENQMS, "audit"]
FILL = """
import io, os
from openqms.core import audit, files
for start in range(0, {events}, 5000):
    with audit.writing():
        for i in range(start, min(start + 5000, {events})):
            audit.record(actor=None, action="core.user.updated", object_type="bench.thing",
                         object_id=i, changes={{"n": [i, i + 1]}})
for i in range({files}):
    files.store(io.BytesIO(os.urandom(1 << 20)))
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return time.monotonic() - started


def size(path: Path) -> str:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return f"{total / (1 << 20):.0f} MB"


class Instance:
    def __init__(self, root: Path, name: str, args: argparse.Namespace) -> None:
        self.data = root / name
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "OPENQMS_DATA_DIR": str(self.data),
            "OPENQMS_AUDIT_KEY": str(root / "audit-ed25519.pem"),
            "OPENQMS_LOG_LEVEL": "WARNING",
        }
        self.url = ""
        if args.engine == "postgresql":
            database = f"openqms_bench_backup_{name}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")  # type: ignore[arg-type]
                admin.execute(f"CREATE DATABASE {database}")  # type: ignore[arg-type]
            self.url = args.postgres.rsplit("/", 1)[0] + f"/{database}"
            self.env["OPENQMS_DATABASE_URL"] = self.url

    def drop(self, args: argparse.Namespace) -> None:
        if self.url:
            database = self.url.rsplit("/", 1)[1]
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")  # type: ignore[arg-type]


def baseline_backup(source: Instance, target: Path) -> float:
    """The same data copied without OpenQMS: no checkpoint, no hashing, no manifest."""
    target.mkdir()
    started = time.monotonic()
    if source.url:
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={target / 'db.pgdump'}", source.url],
            check=True,
        )
    else:
        with (
            sqlite3.connect(source.data / "openqms.sqlite3") as live,
            sqlite3.connect(target / "db.sqlite3") as copy,
        ):
            live.backup(copy)
    if (source.data / "files").exists():
        shutil.copytree(source.data / "files", target / "files")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=100)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="openqms-bench-backup-"))
    source, fresh = Instance(root, "source", args), Instance(root, "fresh", args)
    try:
        timed([*OPENQMS, "keys", "init"], source.env)
        timed([*OPENQMS, "migrate"], source.env)
        fill = FILL.format(events=args.events, files=args.files)
        filled = timed([*OPENQMS, "shell", "-c", fill], source.env)
        print(f"{args.engine}: {args.events} events, {args.files} files of 1 MB ({filled:.0f} s)")
        rows = [
            # As `openqms tick` does every five minutes: the backup's own checkpoint then
            # checks only the events since, as in production.
            ("openqms audit checkpoint (whole chain)", timed([*AUDIT, "checkpoint"], source.env)),
            ("baseline copy (no OpenQMS)", baseline_backup(source, root / "baseline")),
            ("openqms backup", timed([*OPENQMS, "backup", str(root / "backup")], source.env)),
            ("openqms migrate (empty instance)", timed([*OPENQMS, "migrate"], fresh.env)),
            (
                "openqms restore (with its integrity check)",
                timed([*OPENQMS, "restore", str(root / "backup")], fresh.env),
            ),
            ("openqms verify (alone)", timed([*OPENQMS, "verify"], fresh.env)),
        ]
        print(f"backup size: {size(root / 'backup')}")
        for label, seconds in rows:
            print(f"  {label:<45} {seconds:6.1f} s")
    finally:
        source.drop(args)
        fresh.drop(args)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
