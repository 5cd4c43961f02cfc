"""`signature_contents(pks)`, what `openqms verify` reads many signed objects with, gives
each object's version and content exactly as the object itself does, and hashes alike."""

import io

from openqms.core.signatures import content_hash, plain_content_hash
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType, Revision
from openqms.training.models import Assignment
from tests import integrity_world


def test_revisions_and_assignments_give_the_same_content_in_bulk(cast):
    integrity_world.build(cast)
    draft = documents.create_document(
        actor=cast.author, doc_type=DocumentType.objects.get(code="procedure"), title="Files"
    )
    for name in ("b.pdf", "A.pdf", "Ärger.pdf", "a-2.pdf"):  # orders differ by collation
        data = io.BytesIO(f"%PDF-1.4 {name}".encode())
        documents.attach_file(actor=cast.author, revision=draft, name=name, content=data)
    for model in (Revision, Assignment):
        objects = list(model.objects.all())
        bulk = model.signature_contents([o.pk for o in objects])
        assert set(bulk) == {o.pk for o in objects}
        for obj in objects:
            version, content = bulk[obj.pk]
            assert (version, content) == (obj.signature_version(), obj.signature_content())
            assert plain_content_hash(content) == content_hash(obj.signature_content())
