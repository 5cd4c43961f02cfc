"""Hashing a data folder (as the OQ tests do, to show the run left the instance's folder
alone) must not release the locks this process holds on a SQLite database in it
(tests/validation/data_folder.py says why). Read in the test process, the test
database's files lost those locks, and a later chain-verify worker reset the database's
shared-memory index under that process: each connection after it failed with "disk I/O
error". Shown here on a database of the test's own, attached as Django attaches one."""

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from .data_folder import folder_digests, locks_held


@pytest.fixture
def attached(tmp_path) -> Iterator[tuple[Path, Path]]:
    """A SQLite database in WAL mode with a connection open in this process."""
    if not Path("/proc/locks").exists():
        pytest.skip("reads the locks from Linux's /proc/locks")
    database = tmp_path / "openqms.sqlite3"
    con = sqlite3.connect(database)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.execute("SELECT x FROM t").fetchall()
    try:
        yield database, database.with_name(database.name + "-shm")
    finally:
        con.close()


def test_the_digests_are_read_without_touching_this_processs_locks(attached, tmp_path):
    database, shm = attached
    before = locks_held(database) | locks_held(shm)
    assert before, "an open connection in WAL mode holds a lock on the shared-memory index"

    digests = folder_digests(tmp_path)

    assert locks_held(database) | locks_held(shm) == before
    assert {database.name, shm.name} <= set(digests)


def test_reading_the_files_here_would_have_dropped_them(attached):
    """The hazard itself, so the test above cannot pass for want of it."""
    _, shm = attached
    assert locks_held(shm)
    hashlib.sha256(shm.read_bytes())
    assert not locks_held(shm)


def test_the_digests_match_those_read_here(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_bytes(b"alpha")
    (tmp_path / "b.bin").write_bytes(bytes(range(256)))
    assert folder_digests(tmp_path) == {
        "files": "folder",
        "files/a.txt": hashlib.sha256(b"alpha").hexdigest(),
        "b.bin": hashlib.sha256(bytes(range(256))).hexdigest(),
    }
