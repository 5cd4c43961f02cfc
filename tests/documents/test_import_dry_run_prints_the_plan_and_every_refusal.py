"""`--dry-run` prints the whole plan (file → number, type, title, revision, effective
date) and every refusal, and refuses exactly what the real run would: an oversize
revision label used to pass the dry run and then fail the real one."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openqms.core.models import StoredFile
from openqms.documents.models import Document
from openqms.testing import event_count
from tests.documents.test_import import MANIFEST


def _run(folder, *extra):
    out, err = io.StringIO(), io.StringIO()
    failed = None
    try:
        call_command(
            "documents", "import", str(folder), "--owner", "qa-lead", *extra,
            stdout=out, stderr=err,
        )  # fmt: skip
    except CommandError as exc:
        failed = str(exc)
    return out.getvalue(), err.getvalue(), failed


def test_the_dry_run_prints_the_plan_and_the_refusals(cast, tmp_path):
    (tmp_path / "POL-002 Quality policy rev C.docx").write_bytes(b"PK policy")
    (tmp_path / "Meeting notes.md").write_text("Notes", encoding="utf-8")
    (tmp_path / "SOP-01 Short number.md").write_text("Text", encoding="utf-8")
    files, before = StoredFile.objects.count(), event_count()
    out, err, failed = _run(
        tmp_path, "--dry-run", "--effective-date", "2019-05-01", "--approval-ref", "CR-2019-014"
    )
    assert out.splitlines() == [
        "1 document(s) would be imported:",
        "  POL-002 Quality policy rev C.docx → POL-002 · Quality policy · “Quality policy”"
        " · rev C · effective 2019-05-01 · approval CR-2019-014 · owner qa-lead",
        "Training on them: not assigned.",
        "2 refused (listed on stderr).",
    ]
    assert err.splitlines() == [
        "refused: Meeting notes.md: the name matches no document type's numbering (EXT-001 …,"
        " FRM-001 …, PLN-001 …, POL-001 …, QM-001 …, REC-001 …, RPT-001 …, SOP-001 …,"
        " WI-001 …); rename it or give --type",
        "refused: SOP-01 Short number.md: the number “SOP-01” does not fit the Procedure (SOP)"
        " numbering: SOP, a hyphen and 3 digit(s), e.g. SOP-001",
    ]
    assert failed == "The real run would import nothing: 2 problem(s)."
    assert not Document.objects.exists()
    assert (StoredFile.objects.count(), event_count()) == (files, before)


def test_a_clean_dry_run_plans_numbers_as_the_real_run_writes_them(cast, tmp_path):
    (tmp_path / "SOP-010 Document control.md").write_text("Text", encoding="utf-8")
    (tmp_path / "Handling complaints.md").write_text("Text", encoding="utf-8")
    out, _, failed = _run(tmp_path, "--dry-run", "--type", "procedure")
    assert failed is None
    today = timezone.localdate().isoformat()
    assert out.splitlines()[1:3] == [
        "  Handling complaints.md → SOP-011 · Procedure (SOP) · “Handling complaints”"
        f" · rev A · effective {today} (the import day: no legacy date given) · owner qa-lead",
        "  SOP-010 Document control.md → SOP-010 · Procedure (SOP) · “Document control”"
        f" · rev A · effective {today} (the import day: no legacy date given) · owner qa-lead",
    ]
    _run(tmp_path, "--type", "procedure")
    assert sorted(Document.objects.values_list("number", "title")) == [
        ("SOP-010", "Document control"),
        ("SOP-011", "Handling complaints"),
    ]


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_oversize_label_fails_the_dry_run_as_it_fails_the_real_run(cast, tmp_path, dry_run):
    (tmp_path / "policy.md").write_text("Text", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST + "policy.md,POL-002,Quality policy,quality_policy,ABCDEFGHIJK,,\n",
        encoding="utf-8",
    )
    before = event_count()
    extra = ["--dry-run"] if dry_run else []
    _, err, failed = _run(tmp_path, "--manifest", str(tmp_path / "manifest.csv"), *extra)
    assert err.splitlines() == [
        "refused: manifest.csv line 2: the revision “ABCDEFGHIJK” is longer than 10 characters"
    ]
    assert failed.endswith("1 problem(s).")
    assert not Document.objects.exists() and event_count() == before
