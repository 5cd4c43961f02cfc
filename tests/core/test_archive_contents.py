"""What an archive holds: every row with full-precision values, the signed content of
each live signature, every file under its hash, a PDF of every revision and training
record, and the reference verifier (the same text as docs/verify-archive.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from openqms.core.archive import export as archive_export
from openqms.core.archive import reference
from openqms.core.models import AuditEvent, Signature, StoredFile, User
from openqms.documents.models import Revision
from tests.core.archive_records import BODY, make_records, manifest, parts, rendering_moments

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _rows(members, part):
    return [json.loads(line) for line in members[part].decode().splitlines()]


def test_an_archive_keeps_every_value_exactly(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    members = parts(archive)

    events = _rows(members, "records/core.auditevent.jsonl")
    stored = AuditEvent.objects.order_by("seq")
    assert [e["at"] for e in events] == [
        e.at.astimezone(dt.UTC).isoformat(timespec="microseconds") for e in stored
    ]
    assert [e["changes"] for e in events] == [e.changes for e in stored]
    assert any(not e["at"].endswith("000+00:00") for e in events)  # microseconds, not ms
    revision = _rows(members, "records/documents.revision.jsonl")[0]
    assert revision["body"] == BODY == Revision.objects.get().body
    assert revision["document_id"] == Revision.objects.get().document_id
    assert {r["username"] for r in _rows(members, "records/core.user.jsonl")} == set(
        User.objects.values_list("username", flat=True)
    )
    assert _rows(members, "records/otp_totp.totpdevice.jsonl")[0]["user_id"] == cast.qa_lead.pk


def test_an_archive_holds_signed_contents_files_pdfs_and_its_verifier(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    members, listed = parts(archive), manifest(archive)

    signed = _rows(members, "signatures/content.jsonl")
    assert [s["signature"] for s in signed] == list(
        Signature.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert all(
        hashlib.sha256(s["content"].encode()).hexdigest() == s["content_hash"] for s in signed
    )
    for sha in StoredFile.objects.values_list("sha256", flat=True):
        assert hashlib.sha256(members[f"files/sha256/{sha[:2]}/{sha}"]).hexdigest() == sha
    assert "pdf/documents/SOP-001/SOP-001-rev-A.pdf" in members
    assert f"pdf/training/{cast.trainee.username}.pdf" in members
    assert all(members[n].startswith(b"%PDF") for n in members if n.startswith("pdf/"))
    assert not any(
        n.startswith(("records/auth.", "records/contenttypes.", "records/sessions."))
        for n in members
    )
    assert set(listed["parts"]) == set(members) - {"manifest.json", "manifest.sig"}
    assert listed["format"] == "openqms-archive/1"
    assert members["VERIFY.py"] == Path(reference.__file__).read_bytes()


def test_the_reference_verifier_in_docs_is_the_one_shipped():
    assert (DOCS / "verify-archive.py").read_bytes() == Path(reference.__file__).read_bytes()


def test_every_rendering_in_an_archive_is_dated_with_the_exports_moment(
    cast, tmp_path, monkeypatch
):
    """Each PDF used to print the minute it was drawn, so one archive could say two times
    (and two renderings of the same record differ) when an export crossed a minute: now
    all say the moment the export took its snapshot, however far the clock has moved."""
    make_records(cast)
    start = dt.datetime(2031, 2, 3, 4, 5, tzinfo=dt.UTC)
    ticks = iter(range(10_000))
    monkeypatch.setattr(
        archive_export.timezone, "now", lambda: start + dt.timedelta(minutes=next(ticks))
    )
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")

    members = parts(archive)
    made = rendering_moments(archive)
    assert len([n for n in members if n.startswith("pdf/")]) > 1
    assert made == {f"Archive rendering, made {timezone.localtime(start):%Y-%m-%d %H:%M %Z}"}
