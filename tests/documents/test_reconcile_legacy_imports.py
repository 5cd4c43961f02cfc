"""Legacy imports reconcile on their import event: an imported revision is effective
without an approval signature, and its original file is the one the event recorded."""

import io

from django.core.management import call_command

from openqms.core import integrity
from openqms.core.models import StoredFile
from openqms.documents.models import Attachment, Revision


def test_imported_revisions_pass_and_a_swapped_original_is_found(cast, tmp_path):
    (tmp_path / "SOP-001 Document control.md").write_text(
        "# Document control\n\nBody.", encoding="utf-8"
    )
    (tmp_path / "capa.pdf").write_bytes(b"%PDF-1.4 legacy capa procedure")
    call_command(
        "documents",
        "import",
        str(tmp_path),
        "--owner",
        "qa-lead",
        "--type",
        "procedure",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Revision.objects.filter(state="effective").count() == 2
    assert integrity.run().findings == []
    other = StoredFile.objects.create(
        sha256="f" * 64, size=1, stored_at=Attachment.objects.get().attached_at
    )
    Attachment.objects.update(stored_file=other)
    found = [f for f in integrity.run().findings if f.check == "documents: attachment files"]
    [finding] = found
    assert finding.record.startswith("documents.attachment ")
    assert "“capa.pdf”" in finding.record
    assert finding.trail_says.endswith(")") and "(event #" in finding.trail_says
    assert finding.row_says == f"SHA-256 {'f' * 16}…"
