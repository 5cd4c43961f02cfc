"""Import CLI gaps from the issue 10 walk: the dry run refuses an importer without the
permission the real run needs; a type is named by its code, prefix or name, and an
unknown one lists the codes; the first periodic review can be given (manifest column
next_review or --next-review) so an old document is not overdue the day it arrives."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

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


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_importer_without_the_permission_is_refused_by_the_dry_run_too(cast, tmp_path, dry_run):
    (tmp_path / "SOP-010 Document control.md").write_text("Text", encoding="utf-8")
    files, before = StoredFile.objects.count(), event_count()
    _, err, failed = _run(tmp_path, "--as", "admin", *(["--dry-run"] if dry_run else []))
    assert err.splitlines()[0] == (
        "refused: --as admin: the importer needs the permission “Create documents”"
    )
    assert failed.endswith("1 problem(s).")
    assert not Document.objects.exists()
    assert (StoredFile.objects.count(), event_count()) == (files, before)


@pytest.mark.parametrize("named", ["work_instruction", "WI", "wi", "Work instruction"])
def test_a_type_is_named_by_its_code_prefix_or_name(cast, tmp_path, named):
    by_name, by_manifest = tmp_path / "by-name", tmp_path / "by-manifest"
    by_name.mkdir(), by_manifest.mkdir()
    (by_name / "Label printing.md").write_text("Text", encoding="utf-8")
    (by_manifest / "packing.md").write_text("Pack", encoding="utf-8")
    (by_manifest / "manifest.csv").write_text(
        MANIFEST + f"packing.md,,Packing,{named},,,\n", encoding="utf-8"
    )
    assert _run(by_name, "--type", named)[2] is None
    assert _run(by_manifest, "--manifest", str(by_manifest / "manifest.csv"))[2] is None
    assert list(
        Document.objects.order_by("number").values_list("number", "title", "doc_type__code")
    ) == [
        ("WI-001", "Label printing", "work_instruction"),
        ("WI-002", "Packing", "work_instruction"),
    ]


def test_an_unknown_type_lists_how_each_type_may_be_named(cast, tmp_path):
    (tmp_path / "notes.md").write_text("Text", encoding="utf-8")
    _, err, failed = _run(tmp_path, "--type", "Wizardry", "--dry-run")
    assert failed == "The real run would import nothing: 1 problem(s)."
    assert err.splitlines() == [
        "refused: --type: unknown document type “Wizardry” (give its code, prefix or name;"
        " the codes: external, form, plan, procedure, quality_manual, quality_policy, record,"
        " report, work_instruction)"
    ]


def test_the_first_periodic_review_date_can_be_given(cast, tmp_path):
    (tmp_path / "policy.md").write_text("We make safe devices.", encoding="utf-8")
    (tmp_path / "complaints.md").write_text("Handle them.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST.strip() + ",next_review\n"
        "policy.md,POL-002,Quality policy,,C,2019-03-04,,2027-03-31\n"
        "complaints.md,SOP-004,Complaints,,,2019-03-04,,\n",
        encoding="utf-8",
    )
    manifest = ("--manifest", str(tmp_path / "manifest.csv"))
    out, _, _ = _run(tmp_path, *manifest, "--next-review", "2027-06-30", "--dry-run")
    assert " · effective 2019-03-04 · next review 2027-03-31 · " in out
    _run(tmp_path, *manifest, "--next-review", "2027-06-30")
    assert dict(Document.objects.values_list("number", "next_review")) == {
        "POL-002": dt.date(2027, 3, 31),  # the manifest's column
        "SOP-004": dt.date(2027, 6, 30),  # --next-review where the row gives none
    }


def test_a_bad_next_review_date_is_refused(cast, tmp_path):
    (tmp_path / "policy.md").write_text("Text", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST.strip() + ",next_review\npolicy.md,POL-002,Quality policy,,,,,31/03/2027\n",
        encoding="utf-8",
    )
    _, err, failed = _run(tmp_path, "--manifest", str(tmp_path / "manifest.csv"))
    assert err.splitlines() == [
        "refused: manifest.csv line 2: next review “31/03/2027” is not YYYY-MM-DD"
    ]
    assert failed == "Nothing was imported: 1 problem(s)."
    assert not Document.objects.exists()
