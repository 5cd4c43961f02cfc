"""Every record goes out and back in, SQLite → PostgreSQL → SQLite, and comes out the
same: the same chain up to the archive's head (each import appends its one
`core.archive.imported` event after it), the same rows, signed contents and files, and
the same `openqms verify` findings on every engine as on the source."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from openqms.core import integrity
from tests.core.archive_records import (
    make_records,
    manifest,
    openqms,
    parts,
    postgres_instance,
    sqlite_instance,
)

pytestmark = pytest.mark.verifies("CORE-023")

CHAIN = "records/core.auditevent.jsonl"
CHECKPOINTS = "records/core.checkpoint.jsonl"
GROWING = (
    "manifest.json",
    "manifest.sig",
    CHAIN,
    CHECKPOINTS,
)  # each import adds an event and a checkpoint


def _outcome(report: dict) -> tuple:
    """What `openqms verify` found, check by check (not how many rows each looked at:
    every import adds an event and a checkpoint)."""
    sections = [(s["name"], s["ok"], s["findings"]) for s in report["sections"]]
    return report["ok"], sections, report["findings"]


def _through(env: dict[str, str], archive, out) -> tuple:
    """Import `archive` into the instance, check it with `openqms audit verify` (chain,
    checkpoints and seals), export it again to `out`; what `openqms verify` found."""
    done = openqms("archive", "import", str(archive), "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    assert "Checkpoint #" in done.stdout  # re-anchored under the instance's key
    verified = openqms("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    done = openqms("archive", "export", str(out), "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    everything = openqms("verify", "--json", "--workers", "1", env=env)
    return _outcome(json.loads(everything.stdout))


def _same_records(first, later, *, imports: int) -> None:
    """`later` holds every part of `first` unchanged but the chain, which goes on with
    one event per import after `first`'s head; PDFs are rendered anew, so not compared."""
    a, b = parts(first), parts(later)
    kept = {n for n in a if not n.startswith("pdf/") and n not in GROWING}
    assert {n for n in b if n in kept or n.startswith(("records/", "files/"))} >= kept
    assert {n: a[n] for n in kept} == {n: b[n] for n in kept}
    events, more = a[CHAIN].splitlines(), b[CHAIN].splitlines()
    assert more[: len(events)] == events
    assert len(more) == len(events) + imports
    imported = [json.loads(line) for line in more[len(events) :]]
    assert {e["action"] for e in imported} == {"core.archive.imported"}
    head = json.loads(events[-1])
    first = json.loads(imported[0]["changes"])
    assert (first["archive_head_seq"], first["archive_head_hash"]) == (head["seq"], head["hash"])
    signed, later_signed = a[CHECKPOINTS].splitlines(), b[CHECKPOINTS].splitlines()
    assert later_signed[: len(signed)] == signed and len(later_signed) == len(signed) + imports


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
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[0].startswith("archive intact: audit chain to #")

    before = _outcome(integrity.run().as_dict())
    assert before[0], before
    legs = [tmp_path / f"{n}.zip" for n in ("sqlite", "postgresql", "sqlite-again")]
    after = [_through(sqlite_instance(tmp_path / "a"), source, legs[0])]
    with postgres_instance(tmp_path / "b") as env:
        after.append(_through(env, legs[0], legs[1]))
    after.append(_through(sqlite_instance(tmp_path / "c"), legs[1], legs[2]))
    assert after == [before] * 3

    for imports, leg in enumerate(legs, 1):
        _same_records(source, leg, imports=imports)
        done = openqms("archive", "verify", str(leg), env={"OPENQMS_DATA_DIR": str(tmp_path)})
        assert done.returncode == 0, done.stderr
    assert [manifest(leg)["source_engine"] for leg in legs] == ["sqlite", "postgresql", "sqlite"]
