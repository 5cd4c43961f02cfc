import io

from pypdf import PdfReader

import openqms
from openqms.core.actions.instance import mark_demo_instance
from openqms.core.signatures import content_hash
from openqms.documents import actions
from openqms.documents.pdf import render_revision


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_controlled_copy_has_header_footer_pages_and_the_signature_page(cast, effective):
    pages = _text(render_revision(effective))
    assert len(pages) >= 2
    assert "SOP-001" in pages[0] and "Document control" in pages[0]
    assert "Revision A" in pages[0] and "effective" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Controlled copy" in pages[0]
    assert f"OpenQMS {openqms.__version__}" in pages[0]
    signatures = pages[-1]
    assert "Riley Reviewer — Reviewed" in signatures
    assert "Morgan Approver — Approved" in signatures
    assert content_hash(effective.signature_content()) in signatures.replace("\n", "")
    assert "UTC" in signatures


def test_a_printed_copy_is_uncontrolled_and_names_who_printed_it(cast, effective):
    first = _text(render_revision(effective, printed_by=cast.trainee))[0]
    assert "Uncontrolled when printed" in first and "Taylor Trainee" in first


def test_drafts_and_superseded_revisions_are_watermarked(cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    assert "DRAFT" in _text(render_revision(b))[0]
    assert "SUPERSEDED" not in _text(render_revision(effective))[0]
    effective.state = "superseded"
    assert "SUPERSEDED" in _text(render_revision(effective))[0]


def test_text_in_any_script_renders(cast, draft):
    draft.body = "# Überprüfung\n\nZoë’s «procédure» — ½ ✓"
    pages = _text(render_revision(draft))
    assert "Überprüfung" in pages[0] and "Zoë" in pages[0]


def test_a_revision_not_in_force_is_never_called_a_controlled_copy(cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    first = _text(render_revision(b))[0]
    assert "Controlled copy" not in first
    assert "Draft — not in force; for reference only" in first
    effective.state = "superseded"
    assert "Controlled copy" not in _text(render_revision(effective))[0]


def test_a_demo_instance_marks_its_pdfs(cast, effective):
    assert "DEMO INSTANCE" not in _text(render_revision(effective))[0]
    mark_demo_instance()
    assert "DEMO INSTANCE — not a real quality record" in _text(render_revision(effective))[0]
