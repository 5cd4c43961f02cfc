"""The database half of a backup: one consistent copy of the database, and putting it
back — SQLite through its online backup API, PostgreSQL through `pg_dump` / `pg_restore`
(core/backup.py does the rest: the checkpoint, the files, the manifest, the checks)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection

from openqms.core.audit import GENESIS_HASH
from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, StoredFile

SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"

_EVENTS = AuditEvent._meta.db_table
_FILES_TABLE = StoredFile._meta.db_table


class BackupRefused(DomainError):
    code = "backup_refused"
    status = 409


@dataclass(frozen=True)
class Snapshot:
    """What the copied database holds, read in the very snapshot that was copied."""

    head_seq: int
    head_hash: str
    stored_files: list[str]
    migrations: list[str]
    server_version: str


# -- reading a snapshot -------------------------------------------------------------


def head_of(rows: list[tuple]) -> tuple[int, str]:
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS_HASH)


_HEAD_SQL = f"SELECT seq, hash FROM {_EVENTS} ORDER BY seq DESC LIMIT 1"  # noqa: S608
_FILES_SQL = f"SELECT sha256 FROM {_FILES_TABLE} ORDER BY sha256"  # noqa: S608
MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY app, name"


def _snapshot_of(execute, server_version: str) -> Snapshot:
    """`execute(sql) -> rows`, run inside one snapshot of the database."""
    seq, head_hash = head_of(execute(_HEAD_SQL))
    return Snapshot(
        head_seq=seq,
        head_hash=head_hash,
        stored_files=[row[0] for row in execute(_FILES_SQL)],
        migrations=[f"{app}.{name}" for app, name in execute(MIGRATIONS_SQL)],
        server_version=server_version,
    )


# -- SQLite ---------------------------------------------------------------------------


def dump_sqlite(target: Path) -> Snapshot:
    """SQLite's online backup API: one step copies every page under one read lock, so the
    copy is a single consistent state while the server goes on writing (WAL mode). It
    reads through a connection of its own, so it copies what is committed, whatever
    transaction the caller is in (as pg_dump does)."""
    live_uri = f"{Path(connection.settings_dict['NAME']).resolve().as_uri()}?mode=ro"
    with (
        closing(sqlite3.connect(live_uri, uri=True)) as live,
        closing(sqlite3.connect(target / SQLITE_DUMP)) as copy,
    ):
        live.backup(copy)
        # A self-contained file: no -wal/-shm beside it once it is closed.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _snapshot_of(lambda sql: copy.execute(sql).fetchall(), sqlite3.sqlite_version)


def _open_sqlite_copy(path: Path) -> sqlite3.Connection:
    """Read a backup's database without writing anything beside it (immutable)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def restore_sqlite(source: Path) -> None:
    """The backup API again, the other way: it replaces every page of the instance's
    database in one transaction (the WAL and its index included), which copying the file
    over would not. Django's connection is closed first and opened again afterwards."""
    connection.close()
    with (
        closing(_open_sqlite_copy(source)) as backup,
        closing(sqlite3.connect(connection.settings_dict["NAME"])) as live,
    ):
        backup.backup(live)


# -- PostgreSQL -----------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's variables from Django's settings: the password goes in PGPASSWORD, never on
    a command line (where `ps` shows it to every user of the host). What the settings leave
    out (PGSSLMODE, a password in ~/.pgpass) comes from the environment, as for Django."""
    db = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": str(db["NAME"]),
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def _pg_connect() -> psycopg.Connection:
    """A session of its own (not Django's): its transaction exports the snapshot that
    pg_dump copies, whatever transaction the caller is in."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("server_side_binding", None)
    return psycopg.connect(**params)


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        raise BackupRefused(
            f"{name} was not found: install PostgreSQL's client programs (the server's major "
            "version or newer)."
        )
    return found


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(  # noqa: S603 - fixed programs, arguments we built
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupRefused(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}")


def dump_postgres(target: Path) -> Snapshot:
    """pg_dump from a snapshot exported by a REPEATABLE READ transaction: the dump, the
    head and the list of stored files are read from the same instant."""
    with _pg_connect() as session:
        session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = session.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, version = row.fetchone() or ("", "")
        snap = _snapshot_of(lambda sql: session.execute(sql).fetchall(), version)
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot_id}",
                f"--file={target / POSTGRES_DUMP}",
            ],
            "pg_dump",
        )
        session.rollback()
    return snap


def restore_postgres(source: Path) -> None:
    """The target is a freshly migrated database of the same schema: `--clean` drops each
    object the dump holds (DROP TABLE fires no row trigger) and the dump recreates it,
    triggers included, in one transaction: a failure leaves the empty instance as it was."""
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        "pg_restore",
    )
    # A dump carries no planner statistics: without them the first checks on large tables
    # (verify right after this) can be several times slower.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
