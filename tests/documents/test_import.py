import io

import pytest
from django.core.management import CommandError, call_command

from openqms.core.models import AuditEvent, StoredFile
from openqms.documents.models import Document, Revision
from openqms.testing import changes_of, event_count

MANIFEST = "file,number,title,type,revision,effective_date,owner\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sop-001.md").write_text("# Document control\n\nBody.", encoding="utf-8")
    (tmp_path / "capa.pdf").write_bytes(b"%PDF-1.4 legacy capa procedure")
    return tmp_path


def _import(folder, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "documents", "import", str(folder), "--owner", "qa-lead", *extra, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.verifies("DOC-016")
def test_a_manifest_imports_effective_legacy_revisions_with_their_provenance(cast, folder):
    (folder / "manifest.csv").write_text(
        MANIFEST + "sop-001.md,SOP-010,Document control,procedure,C,2019-05-01,author\n"
        "capa.pdf,,Corrective action,procedure,,,\n",
        encoding="utf-8",
    )
    out, err = _import(folder, "--manifest", str(folder / "manifest.csv"))
    assert out.startswith("Imported 2 document(s)")
    assert "2/2" in err
    sop = Revision.objects.get(document__number="SOP-010")
    assert (sop.label, sop.sequence, sop.state, sop.document.owner) == (
        "C",
        3,
        "effective",
        cast.author,
    )
    assert (sop.imported_from, sop.body) == ("sop-001.md", "# Document control\n\nBody.")
    capa = Revision.objects.get(document__title="Corrective action")
    assert capa.document.number == "SOP-011"  # numbering continues after the imported one
    assert capa.attachments.get().name == "capa.pdf"
    event = AuditEvent.objects.filter(action="documents.revision.imported").order_by("seq")[0]
    assert changes_of(event)["source"] == "sop-001.md"
    assert event.actor_id == cast.qa_lead.pk


def test_without_a_manifest_files_matching_no_numbering_take_the_given_type(cast, folder):
    (folder / "sop-001.md").rename(folder / "sop-001 Document control.md")
    out, _ = _import(folder, "--type", "work_instruction")
    assert out.startswith("Imported 2 document(s)")
    assert list(Document.objects.values_list("number", "title", "doc_type__code")) == [
        ("SOP-001", "Document control", "procedure"),  # its name follows the SOP numbering
        ("WI-001", "capa", "work_instruction"),
    ]


def test_without_a_manifest_or_type_a_file_matching_no_numbering_is_refused(cast, folder):
    (folder / "sop-001.md").unlink()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command(
            "documents", "import", str(folder), "--owner", "qa-lead", stderr=err
        )  # fmt: skip
    assert err.getvalue().startswith(
        "refused: capa.pdf: the name matches no document type's numbering (EXT-001 …, FRM-001 …"
    )
    assert "rename it or give --type" in err.getvalue()
    assert not Document.objects.exists()


@pytest.mark.verifies("DOC-016", refusal=True)
@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ("name,title\nx.md,X\n", "the header lacks file"),
        (
            MANIFEST + "sop-001.md,SOP-001,A,procedure,,,\ncapa.pdf,SOP-001,B,procedure,,,\n",
            "number SOP-001 appears twice",
        ),
        (MANIFEST + "missing.md,,A,procedure,,,\n", "is not in"),
        (MANIFEST + "sop-001.md,,A,wizardry,,,\n", "unknown document type"),
        (MANIFEST + "sop-001.md,,A,procedure,,31/12/2019,\n", "is not YYYY-MM-DD"),
        (MANIFEST + "sop-001.md,,A,procedure,,,nobody\n", "no active user"),
        (MANIFEST + "sop-001.md,,A,procedure,4,,\n", "not a letter revision"),
        (MANIFEST + "../secret.md,,A,procedure,,,\n", "is not in"),
    ],
)
def test_a_bad_manifest_is_refused_row_by_row_and_nothing_is_written(
    cast, folder, manifest, problem
):
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    before = event_count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "documents",
            "import",
            str(folder),
            "--owner",
            "qa-lead",
            "--manifest",
            str(folder / "manifest.csv"),
            stderr=err,
        )
    assert problem in err.getvalue()
    assert not Document.objects.exists() and event_count() == before


def test_each_refused_row_is_reported(cast, folder):
    (folder / "manifest.csv").write_text(
        MANIFEST + "sop-001.md,,A,wizardry,,,\ncapa.pdf,,B,procedure,,bad-date,\n", encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "documents",
            "import",
            str(folder),
            "--owner",
            "qa-lead",
            "--manifest",
            str(folder / "manifest.csv"),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert lines == [
        "refused: manifest.csv line 2: unknown document type “wizardry” (give its code, prefix"
        " or name; the codes: external, form, plan, procedure, quality_manual, quality_policy,"
        " record, report, work_instruction)",
        "refused: manifest.csv line 3: effective date “bad-date” is not YYYY-MM-DD",
    ]


def test_an_unreadable_markdown_file_is_refused(cast, folder):
    (folder / "broken.md").write_bytes(b"\xff\xfe not utf-8 \xc3")
    before = event_count()
    with pytest.raises(CommandError):
        _import(folder)
    assert not Document.objects.exists() and event_count() == before


def test_a_number_that_exists_already_is_refused(cast, folder, effective):
    (folder / "manifest.csv").write_text(
        MANIFEST + "sop-001.md,SOP-001,Dup,procedure,,,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        _import(folder, "--manifest", str(folder / "manifest.csv"))
    assert Document.objects.count() == 1


@pytest.mark.verifies("DOC-016")
def test_a_dry_run_checks_and_writes_nothing(cast, folder):
    (folder / "sop-001.md").unlink()
    files_before, before = StoredFile.objects.count(), event_count()
    out, _ = _import(folder, "--dry-run", "--type", "work_instruction")
    assert out.splitlines()[0] == "1 document(s) would be imported:"
    assert not Document.objects.exists() and StoredFile.objects.count() == files_before
    assert event_count() == before
