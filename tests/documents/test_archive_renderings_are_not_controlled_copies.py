"""The PDFs an archive carries are read away from the system: never a controlled copy,
and dated, even for the revision in force."""

import io

from pypdf import PdfReader

from openqms.documents.pdf import archive_renderings


def test_an_archived_effective_revision_says_archive_rendering_not_controlled_copy(cast, effective):
    (name, make), *_ = list(archive_renderings())
    first = PdfReader(io.BytesIO(make())).pages[0].extract_text()
    assert name == "documents/SOP-001/SOP-001-rev-A.pdf"
    assert "Archive rendering, made" in first
    assert "not a controlled copy" in first
    assert "Controlled copy" not in first
