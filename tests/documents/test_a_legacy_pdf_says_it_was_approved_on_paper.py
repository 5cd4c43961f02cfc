"""A legacy import's controlled PDF says what it is: "Legacy — approved outside OpenQMS"
with the paper approval's reference on every page's header, and on the signature page,
where "No signatures." was, the reference, the importer, the import time and the file
(walk finding 5, issue 10)."""

import io

from django.core.management import call_command
from django.utils import timezone

from openqms.documents.models import Revision
from openqms.documents.pdf import render_revision
from tests.documents.pdf_text import flat, pages


def _imported(tmp_path) -> Revision:
    (tmp_path / "policy.md").write_text("We make safe devices.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,number,title,type,revision,effective_date,owner,approval_ref\n"
        "policy.md,POL-002,Quality policy,,C,2019-03-04,,CR-2019-014\n",
        encoding="utf-8",
    )
    call_command(
        "documents", "import", str(tmp_path), "--owner", "qa-lead", "--as", "qa-lead",
        "--manifest", str(tmp_path / "manifest.csv"), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return Revision.objects.select_related("document").get(document__number="POL-002")


def test_every_page_header_says_legacy_with_the_paper_reference(cast, tmp_path):
    printed = pages(render_revision(_imported(tmp_path)))
    header = "Revision C · effective 2019-03-04 · Legacy — approved outside OpenQMS (CR-2019-014)"
    assert all(header in page for page in printed), printed


def test_the_signature_page_names_the_paper_approval_importer_and_date(cast, tmp_path):
    revision = _imported(tmp_path)
    last = flat(pages(render_revision(revision))[-1])
    imported = timezone.localtime(revision.became_effective_at)
    assert "No signatures." not in last
    assert (
        "Legacy — approved outside OpenQMS. Paper approval: CR-2019-014. "
        "Effective 2019-03-04. Imported " in last
    )
    assert f"by Quinn Avery from “policy.md” (SHA-256 {revision.imported_sha256})" in last
    assert "its approval is the paper record" in last
    assert imported.strftime("%Y-%m-%d") in last


def test_a_revision_approved_in_openqms_still_says_no_signatures_when_it_has_none(draft):
    last = flat(pages(render_revision(draft))[-1])
    assert "No signatures." in last and "Legacy" not in last
