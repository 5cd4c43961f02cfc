"""Every record goes out and back in, SQLite → PostgreSQL → SQLite, and comes out the
same: the same chain up to the archive's head (each import appends its one
`core.archive.imported` event after it), the same rows, signed contents and files."""

from __future__ import annotations

import subprocess
import sys

from django.core.management import call_command

from tests.core.archive_records import (
    make_records,
    manifest,
    openqms,
    parts,
    postgres_instance,
    sqlite_instance,
)

CHAIN = "records/core.auditevent.jsonl"


def _through(env: dict[str, str], archive, out) -> None:
    for args in (("import", str(archive)), ("export", str(out))):
        done = openqms("archive", *args, "--quiet", env=env)
        assert done.returncode == 0, done.stderr


def _same_records(first, later, *, imports: int) -> None:
    """`later` holds every part of `first` unchanged but the chain, which goes on with
    one event per import after `first`'s head; PDFs are rendered anew, so not compared."""
    a, b = parts(first), parts(later)
    kept = {n for n in a if not n.startswith("pdf/") and n not in ("manifest.json", CHAIN)}
    assert {n for n in b if n in kept or n.startswith(("records/", "files/"))} >= kept
    assert {n: a[n] for n in kept} == {n: b[n] for n in kept}
    events, more = a[CHAIN].splitlines(), b[CHAIN].splitlines()
    assert more[: len(events)] == events
    assert len(more) == len(events) + imports
    assert all(b'"action":"core.archive.imported"' in line for line in more[len(events) :])


def test_records_round_trip_sqlite_postgresql_sqlite_with_identical_chain(cast, tmp_path):
    make_records(cast)
    source = tmp_path / "source.zip"
    call_command("archive", "export", str(source), "--quiet")
    head = manifest(source)["chain"]
    assert head["head_seq"] > 20

    verifier = tmp_path / "VERIFY.py"
    verifier.write_bytes(parts(source)["VERIFY.py"])
    plain = subprocess.run(
        [sys.executable, "-I", str(verifier), str(source)], capture_output=True, text=True
    )
    assert (plain.returncode, plain.stdout) == (0, "archive intact\n"), plain.stderr

    legs = [tmp_path / f"{n}.zip" for n in ("sqlite", "postgresql", "sqlite-again")]
    _through(sqlite_instance(tmp_path / "a"), source, legs[0])
    with postgres_instance(tmp_path / "b") as env:
        _through(env, legs[0], legs[1])
    _through(sqlite_instance(tmp_path / "c"), legs[1], legs[2])

    for imports, leg in enumerate(legs, 1):
        _same_records(source, leg, imports=imports)
        done = openqms("archive", "verify", str(leg), env={"OPENQMS_DATA_DIR": str(tmp_path)})
        assert done.returncode == 0, done.stderr
    assert [manifest(leg)["source_engine"] for leg in legs] == ["sqlite", "postgresql", "sqlite"]
