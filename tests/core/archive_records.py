"""Records for the archive tests, made by the real actions: a procedure with an attached
file reviewed and approved with signatures, a trainee's "trained" signature, a second
factor enrolled; and ways to run `openqms` against another database."""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from pypdf import PdfReader

from openqms.core import checkpoints, signed_manifest
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, Cast, enrol_totp, named
from openqms.training import actions as training

SIGN = Credentials(PASSWORD)
BODY = "1. Purpose\n\nControl documents — «exactly» as written.\r\nTabs\tand ünïcode ✓."


def make_records(cast: Cast) -> None:
    role = training.create_job_role(actor=cast.qa_lead, name="Software engineer")
    sop = DocumentType.objects.get(code="procedure")
    training.add_requirement(actor=cast.qa_lead, job_role=role, kind="doc_type", doc_type=sop)
    training.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    draft = documents.create_document(
        actor=cast.author, doc_type=sop, title="Document control", clauses=["4.2.4"], body=BODY
    )
    documents.attach_file(
        actor=cast.author,
        revision=draft,
        name="Flowchart.pdf",
        content=io.BytesIO(b"%PDF-1.4 a small test file " + bytes(range(256))),
    )
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body=BODY, change_summary="First", change_reason="New"
    )
    revision = documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    documents.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    documents.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    assert checkpoints.make_checkpoint() is not None  # the archive holds a signed checkpoint
    for assignment in cast.trainee.assignments.all():
        training.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    enrol_totp(cast.qa_lead)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


MADE = "Archive rendering, made "


def rendering_moments(path: Path) -> set[str]:
    """The "made" moments the archive's PDF renderings print (however the line wraps)."""
    return {
        line.partition(": ")[0]
        for name, data in parts(path).items()
        if name.startswith("pdf/")
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
        if line.startswith(MADE)
    }


def manifest(path: Path) -> dict:
    return json.loads(parts(path)["manifest.json"])


def forge_manifest(members: dict[str, bytes], part: str) -> None:
    """Make the manifest vouch for `part` as it now is (what a forger would do)."""
    manifest = json.loads(members["manifest.json"])
    manifest["parts"][part] = {
        "sha256": hashlib.sha256(members[part]).hexdigest(),
        "size": len(members[part]),
    }
    manifest["counts"][part] = members[part].count(b"\n")
    members["manifest.json"] = json.dumps(manifest).encode()


def resign(members: dict[str, bytes]) -> None:
    """Sign the (changed) manifest again with the test audit key, as an exporting instance
    holding that key would have."""
    signature = signed_manifest.sign(members["manifest.json"])
    assert signature is not None
    members[signed_manifest.NAME] = signature


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive `source` with `change(members)` applied to its members."""
    members = parts(source)
    change(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return target


def openqms(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`openqms ARGS` in a fresh process with the test settings and `env`'s database."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENQMS_DATABASE_URL")}
    base["DJANGO_SETTINGS_MODULE"] = "openqms.settings_test"
    if "OPENQMS_DATA_DIR" in env:  # each instance its own checkpoint log (same test key)
        base["OPENQMS_CHECKPOINT_LOG"] = str(Path(env["OPENQMS_DATA_DIR"]) / "checkpoints.log")
    return subprocess.run(
        [sys.executable, "-m", "openqms", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def fresh_instance(env: dict[str, str]) -> dict[str, str]:
    done = openqms("migrate", "-v0", env=env)
    assert done.returncode == 0, done.stderr
    return env


_migrated: list[Path] = []  # one SQLite instance migrated for this test process


def sqlite_instance(folder: Path) -> dict[str, str]:
    """A fresh SQLite instance in `folder`, as `openqms migrate` leaves one: a copy of
    one migrated once per test process (a migrate takes ~25 s; these tests are about
    what happens after it; tests of migrate itself run it)."""
    if not _migrated:
        template = Path(tempfile.mkdtemp(prefix="openqms-migrated-"))
        atexit.register(shutil.rmtree, template, ignore_errors=True)
        fresh_instance({"OPENQMS_DATA_DIR": str(template)})
        _migrated.append(template)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (
        sqlite3.connect(_migrated[0] / "openqms.sqlite3") as source,
        sqlite3.connect(folder / "openqms.sqlite3") as copy,
    ):
        source.backup(copy)  # a consistent copy, whatever the journal mode
    source.close()
    copy.close()
    (folder / "files").mkdir(mode=0o750, exist_ok=True)
    return {"OPENQMS_DATA_DIR": str(folder)}


def _server_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return (
            f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}"
        )
    return os.environ.get("OPENQMS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


@contextmanager
def postgres_instance(folder: Path) -> Iterator[dict[str, str]]:
    """A scratch PostgreSQL database, migrated; dropped afterwards. Skips the test when
    no PostgreSQL server answers."""
    server, name = _server_url(), f"openqms_archive_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL leg skipped: no server at {server} ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield fresh_instance(
                {"OPENQMS_DATA_DIR": str(folder), "OPENQMS_DATABASE_URL": f"{server}/{name}"}
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
