import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from openqms.core import files, signatures
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import StoredFile
from openqms.documents import actions
from openqms.documents.models import Attachment
from openqms.testing import changes_of, event_count, last_event, named
from tests.documents.conftest import SIGN

PDF = b"%PDF-1.4 a small test file " + b"x" * 100


def _attach(cast, revision, name="Flowchart.pdf", data=PDF):
    return actions.attach_file(
        actor=cast.author, revision=revision, name=name, content=io.BytesIO(data)
    )


@pytest.mark.verifies("DOC-019")
def test_a_file_is_stored_once_under_its_hash_and_the_event_names_it(cast, draft, sop_type):
    attachment = _attach(cast, draft)
    event = last_event()
    assert event.action == "documents.attachment.added"
    assert changes_of(event)["sha256"] == attachment.stored_file.sha256
    other = actions.create_document(actor=cast.author, doc_type=sop_type, title="Other")
    again = _attach(cast, other)
    assert again.stored_file == attachment.stored_file
    assert StoredFile.objects.count() == 1


@pytest.mark.verifies("DOC-019")
def test_the_files_are_part_of_what_is_signed(cast, draft):
    before = signatures.content_hash(draft.signature_content())
    _attach(cast, draft)
    after = signatures.content_hash(draft.signature_content())
    assert before != after
    assert draft.signature_content()["attachments"] == [
        {"name": "Flowchart.pdf", "sha256": Attachment.objects.get().stored_file.sha256}
    ]


def test_names_are_sanitised_and_types_checked(cast, draft):
    attachment = _attach(cast, draft, name="../../etc/Flow\u0000chart.pdf")
    assert attachment.name == "Flowchart.pdf"
    before = event_count()
    with pytest.raises(InvalidInput, match="not accepted"):
        _attach(cast, draft, name="tool.exe")
    assert event_count() == before


@pytest.mark.verifies("DOC-020", refusal=True)
def test_a_file_over_the_size_limit_is_refused(cast, draft, settings):
    settings.FILE_MAX_BYTES = 100
    with pytest.raises(InvalidInput, match="larger than"):
        _attach(cast, draft, data=b"x" * 101)
    assert not Attachment.objects.exists()


@pytest.mark.verifies("DOC-019", refusal=True)
def test_files_cannot_change_once_in_review(cast, draft):
    attachment = _attach(cast, draft)
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="draft only"):
        _attach(cast, revision, name="More.pdf")
    with pytest.raises(TransitionNotAllowed, match="draft only"):
        actions.remove_attachment(actor=cast.author, attachment=attachment)
    assert event_count() == before and Attachment.objects.count() == 1


@pytest.mark.verifies("DOC-019")
def test_a_signed_revision_shows_broken_if_its_file_is_swapped(cast, draft):
    _attach(cast, draft)
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    other = files.store(io.BytesIO(b"%PDF-1.4 another file"))
    Attachment.objects.update(stored_file=other)
    [shown] = signatures.manifestations(revision)
    assert not shown.valid and shown.problem == "the content changed after signing"


def test_files_verify_reports_altered_bytes(cast, draft):
    attachment = _attach(cast, draft, data=PDF + b"unique to this test")
    out = io.StringIO()
    call_command("files", "verify", stdout=out)
    assert out.getvalue().startswith("files intact:")
    path = attachment.stored_file.path
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(b"tampered"))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("files", "verify", stdout=out)
    assert exit_info.value.code == 1
    assert f"{attachment.stored_file.sha256}  altered" in out.getvalue()
    default_storage.delete(path)


@pytest.mark.verifies("DOC-020", refusal=True)
def test_a_refused_upload_stores_nothing(cast, draft):
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    files_before = StoredFile.objects.count()
    with pytest.raises(TransitionNotAllowed):
        _attach(cast, draft, name="Late.pdf", data=PDF + b"never stored")
    assert StoredFile.objects.count() == files_before
