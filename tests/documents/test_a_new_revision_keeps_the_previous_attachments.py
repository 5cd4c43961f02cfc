"""Revision B starts with revision A's files (issue 10: a form template vanished from B);
the author removes or replaces each, and the redline lists what changed."""

import hashlib
import io

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.models import AuditEvent
from openqms.documents import actions, reconcile, redline
from openqms.documents.models import Attachment
from openqms.testing import changes_of, event_count, events_since, named
from tests.documents.conftest import SIGN

FORM = b"%PDF-1.4 the form template"
FLOW = b"%PDF-1.4 the flowchart"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _effective_with_files(cast, draft):
    for name, data in (("Form.pdf", FORM), ("Flow.pdf", FLOW)):
        actions.attach_file(actor=cast.author, revision=draft, name=name, content=io.BytesIO(data))
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


def _files(revision):
    return list(revision.attachments.order_by("name").values_list("name", "stored_file__sha256"))


def test_revision_b_starts_with_the_files_of_a_each_carried_forward_in_the_trail(cast, draft):
    a = _effective_with_files(cast, draft)
    before = event_count()
    b = actions.start_revision(actor=cast.author, document=a.document, change_reason="Update")
    assert _files(b) == [("Flow.pdf", _sha(FLOW)), ("Form.pdf", _sha(FORM))]
    assert _files(a) == _files(b)  # A keeps its own rows
    assert {x.stored_file_id for x in b.attachments.all()} == {
        x.stored_file_id for x in a.attachments.all()
    }  # the same stored files, not copies
    carried = [e for e in events_since(before) if e.action.startswith("documents.attachment")]
    assert [(e.action, e.object_id) for e in carried] == [
        ("documents.attachment.carried_forward", str(b.pk))
    ] * 2
    assert changes_of(carried[1]) == {
        "attachment": [None, "Form.pdf"],
        "sha256": _sha(FORM),
        "size": len(FORM),
        "from_revision": "A",
    }
    assert b.signature_content()["attachments"] == a.signature_content()["attachments"]
    assert list(reconcile.attachment_files()) == []


def test_removing_a_carried_file_from_b_shows_in_the_redline(cast, draft):
    a = _effective_with_files(cast, draft)
    b = actions.start_revision(actor=cast.author, document=a.document, change_reason="Update")
    assert redline.compare(a, b).files == []
    actions.remove_attachment(actor=cast.author, attachment=b.attachments.get(name="Flow.pdf"))
    assert redline.compare(a, b).files == [
        redline.FileChange("removed", "Flow.pdf", _sha(FLOW), None)
    ]
    assert _files(a) == [("Flow.pdf", _sha(FLOW)), ("Form.pdf", _sha(FORM))]
    assert list(reconcile.attachment_files()) == []


def test_replacing_a_carried_file_keeps_its_name_and_both_hashes(cast, draft):
    a = _effective_with_files(cast, draft)
    b = actions.start_revision(actor=cast.author, document=a.document, change_reason="Update")
    new = b"%PDF-1.4 the form template, version 2"
    before = event_count()
    actions.replace_attachment(
        actor=cast.author, attachment=b.attachments.get(name="Form.pdf"), content=io.BytesIO(new)
    )
    [event] = events_since(before)
    assert event.action == "documents.attachment.replaced"
    assert changes_of(event) == {
        "attachment": ["Form.pdf", "Form.pdf"],
        "sha256": _sha(new),
        "previous_sha256": _sha(FORM),
        "size": len(new),
    }
    assert redline.compare(a, b).files == [
        redline.FileChange("replaced", "Form.pdf", _sha(FORM), _sha(new))
    ]
    assert list(reconcile.attachment_files()) == []


def test_replacing_a_file_with_the_same_content_changes_nothing(cast, draft):
    actions.attach_file(
        actor=cast.author, revision=draft, name="Form.pdf", content=io.BytesIO(FORM)
    )
    before = event_count()
    with pytest.raises(InvalidInput, match="nothing was replaced"):
        actions.replace_attachment(
            actor=cast.author, attachment=Attachment.objects.get(), content=io.BytesIO(FORM)
        )
    assert event_count() == before


def test_the_compare_page_lists_the_removed_file_with_its_sha256(signed_in, cast, draft):
    a = _effective_with_files(cast, draft)
    b = actions.start_revision(actor=cast.author, document=a.document, change_reason="Update")
    actions.remove_attachment(actor=cast.author, attachment=b.attachments.get(name="Flow.pdf"))
    html = signed_in(cast.auditor).get("/documents/SOP-001/compare/?old=A&new=B").content.decode()
    assert (
        "<tr><td>Flow.pdf</td><td>removed</td>\n"
        f'        <td><del>SHA-256 <span class="hash">{_sha(FLOW)}</span></del></td>\n'
        "        <td>—</td></tr>"
    ) in html
    assert "Form.pdf</td>" not in html  # unchanged files are not listed
    assert AuditEvent.objects.filter(action="documents.attachment.carried_forward").count() == 2


def test_the_author_replaces_a_carried_file_on_the_editor_page(signed_in, cast, draft):
    a = _effective_with_files(cast, draft)
    actions.start_revision(actor=cast.author, document=a.document, change_reason="Update")
    client = signed_in(cast.author)
    editor = client.get("/documents/SOP-001/B/edit/").content.decode()
    assert 'action="/documents/SOP-001/B/files/Form.pdf/replace/"' in editor
    upload = io.BytesIO(b"%PDF-1.4 form v2")
    upload.name = "anything.pdf"  # the file keeps its name in the revision
    done = client.post(
        "/documents/SOP-001/B/files/Form.pdf/replace/", {"file": upload}, follow=True
    )
    assert "Replaced “Form.pdf”; the redline shows the change." in done.content.decode()
    assert done.redirect_chain[-1][0] == "/documents/SOP-001/B/edit/"
    b = a.document.revisions.get(label="B")
    assert _files(b) == [("Flow.pdf", _sha(FLOW)), ("Form.pdf", _sha(b"%PDF-1.4 form v2"))]
    before = event_count()
    refused = signed_in(cast.qa_lead).post(
        "/documents/SOP-001/B/files/Form.pdf/replace/", {"file": io.BytesIO(FORM)}, follow=True
    )
    assert "Only the author changes a draft" in refused.content.decode()
    assert event_count() == before
