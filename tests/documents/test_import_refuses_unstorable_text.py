"""A legacy import refuses a Markdown body or a manifest cell holding NUL (which
PostgreSQL cannot store and SQLite can), on every engine, writing nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from openqms.documents.models import Document
from openqms.testing import event_count
from tests.documents.test_import import MANIFEST


@pytest.mark.parametrize("where", ["body", "manifest"])
def test_nul_in_an_imported_body_or_manifest_is_refused(cast, tmp_path, where):
    body = "# Procedure\n\nBody\x00." if where == "body" else "# Procedure\n\nBody."
    (tmp_path / "sop-001.md").write_text(body, encoding="utf-8")
    title = "Document\x00control" if where == "manifest" else "Document control"
    (tmp_path / "manifest.csv").write_text(
        MANIFEST + f"sop-001.md,SOP-010,{title},procedure,A,,\n", encoding="utf-8"
    )
    before = event_count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "documents", "import", str(tmp_path), "--owner", "qa-lead",
            "--manifest", str(tmp_path / "manifest.csv"), stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert "NUL character" in err.getvalue()
    assert not Document.objects.exists() and event_count() == before
