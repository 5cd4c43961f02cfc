"""An imported revision says what it was: approved outside OpenQMS, effective on its
legacy date, with the paper approval's reference and who imported it, and its periodic
review counted from the legacy date by the type's interval."""

import datetime as dt
import io

from django.core.management import call_command

from openqms.core.models import AuditEvent
from openqms.documents.models import Revision
from openqms.testing import changes_of
from tests.documents.test_import import MANIFEST


def test_the_legacy_mark_reference_importer_and_review_date_are_stored_and_shown(
    cast, tmp_path, signed_in
):
    (tmp_path / "policy.md").write_text("We make safe devices.", encoding="utf-8")
    (tmp_path / "SOP-004 Complaints.md").write_text("Handle them.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST.strip() + ",approval_ref\n"
        "policy.md,POL-002,Quality policy,,C,2019-05-31,approver,CR-2019-014\n"
        "SOP-004 Complaints.md,SOP-004,Complaints,,,,,\n",
        encoding="utf-8",
    )
    call_command(
        "documents", "import", str(tmp_path), "--owner", "qa-lead", "--as", "author",
        "--manifest", str(tmp_path / "manifest.csv"), "--approval-ref", "Paper QMS 2018",
        "--effective-date", "2018-01-15", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    policy = Revision.objects.select_related("document").get(document__number="POL-002")
    assert (
        policy.imported_by,
        policy.legacy_approval_ref,
        policy.effective_date,
        policy.document.doc_type.code,
        policy.document.next_review,  # quality policy: every 12 months, from 31 May 2019
    ) == (cast.author, "CR-2019-014", dt.date(2019, 5, 31), "quality_policy", dt.date(2020, 5, 31))
    sop = Revision.objects.select_related("document").get(document__number="SOP-004")
    assert (sop.legacy_approval_ref, sop.effective_date, sop.document.next_review) == (
        "Paper QMS 2018",
        dt.date(2018, 1, 15),
        dt.date(2020, 1, 15),  # procedures: every 24 months
    )
    event = AuditEvent.objects.filter(action="documents.revision.imported").order_by("seq")[0]
    assert event.actor_id == cast.author.pk
    changes = changes_of(event)
    assert (changes["approval"], changes["approval_ref"]) == (
        "legacy — approved outside OpenQMS",
        "CR-2019-014",
    )
    page = signed_in(cast.auditor).get("/documents/POL-002/C/").content.decode()
    assert "Legacy — approved outside OpenQMS." in page
    assert "paper approval: <strong>CR-2019-014</strong>" in page
    assert "by Alex Author from “policy.md”" in page
    assert "31 May 2019 (legacy)" in page
    document_page = signed_in(cast.auditor).get("/documents/POL-002/").content.decode()
    assert "since 31 May 2019" in document_page and "CR-2019-014" in document_page
