"""Without a manifest, a file's name says what it is, by the document types' numbering:
"POL-002 Quality policy.docx" is POL-002, a Quality policy, titled "Quality policy"
(it used to become SOP-003 titled "POL-002 Quality policy")."""

import io

from django.core.management import call_command

from openqms.documents.models import Document, DocumentType, Revision


def test_file_names_give_number_type_title_and_revision(cast, tmp_path):
    (tmp_path / "POL-002 Quality policy.docx").write_bytes(b"PK legacy policy")
    (tmp_path / "wi-014_Label_printing rev C.md").write_text("# Labels", encoding="utf-8")
    (tmp_path / "FRM-007 Training record Rev. B.pdf").write_bytes(b"%PDF-1.4 form")
    call_command(
        "documents", "import", str(tmp_path), "--owner", "qa-lead",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    rows = Revision.objects.order_by("document__number").values_list(
        "document__number", "document__doc_type__code", "document__title", "label", "sequence"
    )
    assert list(rows) == [
        ("FRM-007", "form", "Training record", "B", 2),
        ("POL-002", "quality_policy", "Quality policy", "A", 1),
        ("WI-014", "work_instruction", "Label printing", "C", 3),
    ]


def test_the_numbering_continues_after_the_imported_numbers(cast, tmp_path):
    (tmp_path / "POL-002 Quality policy.docx").write_bytes(b"PK legacy policy")
    call_command(
        "documents", "import", str(tmp_path), "--owner", "qa-lead",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert DocumentType.objects.get(code="quality_policy").next_number == 3
    assert Document.objects.get().number == "POL-002"
