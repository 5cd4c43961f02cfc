"""Signatures on records created as they are signed are bound to what the signer saw."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.core.signing import signer_credentials
from openqms.documents import actions
from openqms.documents.models import Disposition, Document, PeriodicReview, Revision
from openqms.testing import PASSWORD, event_count
from tests.documents.test_records_control import expired

expired = expired  # the records-control fixture: SOP-001 past its retention


def _shown(content: dict):
    return signer_credentials(password=PASSWORD, content_hash=content_hash(content))


def test_a_disposal_is_refused_when_the_document_changed_after_it_was_shown(cast, expired):
    credentials = _shown(actions.disposal_content(expired))
    Document.objects.filter(pk=expired.pk).update(title="Renamed meanwhile")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="changed after you opened it"):
        actions.dispose_document(
            actor=cast.qa_lead, document=expired, reason="Retention ended", credentials=credentials
        )
    assert not Disposition.objects.exists() and not Signature.objects.filter(meaning="disposed")
    assert event_count() == before


def test_a_disposal_signs_what_was_shown(cast, expired):
    credentials = _shown(actions.disposal_content(expired))
    disposition = actions.dispose_document(
        actor=cast.qa_lead, document=expired, reason="Retention ended", credentials=credentials
    )
    assert Signature.objects.get(meaning="disposed").object_id == str(disposition.pk)


def test_a_periodic_review_is_refused_when_the_revision_changed_after_it_was_shown(cast, effective):
    credentials = _shown(effective.signature_content())
    Revision.objects.filter(pk=effective.pk).update(body="Edited behind the reviewer's back")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="changed after you opened it"):
        actions.complete_periodic_review(
            actor=cast.reviewer,
            document=effective.document,
            outcome="no_change",
            comment="Still accurate",
            credentials=credentials,
        )
    assert not PeriodicReview.objects.exists() and event_count() == before
