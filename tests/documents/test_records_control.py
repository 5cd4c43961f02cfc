import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import PermissionRefused, ReauthenticationFailed, TransitionNotAllowed
from openqms.core.signatures import Credentials, manifestations
from openqms.documents import access, actions
from openqms.documents.models import Disposition, Document
from openqms.testing import event_count
from tests.documents.conftest import SIGN


@pytest.fixture
def expired(cast, effective):
    """SOP-001, withdrawn eleven years ago under a ten-year retention."""
    effective.document.doc_type.retention_years = 10
    effective.document.doc_type.save()
    document = actions.withdraw_document(
        actor=cast.qa_lead, document=effective.document, reason="Process retired"
    )
    Document.objects.filter(pk=document.pk).update(
        withdrawn_at=timezone.now() - dt.timedelta(days=11 * 366)
    )
    document.refresh_from_db()
    return document


def _dispose(cast, document, credentials=SIGN):
    return actions.dispose_document(
        actor=cast.qa_lead, document=document, reason="Retention ended", credentials=credentials
    )


@pytest.mark.verifies("DOC-021")
def test_a_document_past_its_retention_is_disposed_of_with_a_signature(cast, expired):
    disposition = _dispose(cast, expired)
    [shown] = manifestations(disposition)
    assert (shown.printed_name, shown.meaning_label, shown.valid) == (
        "Quinn Avery",
        "Disposal approved",
        True,
    )
    expired.refresh_from_db()
    assert expired.disposed_at is not None
    assert not access.visible_documents(cast.trainee).filter(pk=expired.pk).exists()


@pytest.mark.verifies("DOC-021", refusal=True)
def test_a_document_still_in_retention_cannot_be_disposed_of(cast, expired):
    Document.objects.filter(pk=expired.pk).update(withdrawn_at=timezone.now())
    expired.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="must be kept until"):
        _dispose(cast, expired)
    assert event_count() == before and not Disposition.objects.exists()


def test_a_document_in_use_or_kept_for_ever_cannot_be_disposed_of(cast, effective):
    with pytest.raises(TransitionNotAllowed, match="in use, or for ever"):
        _dispose(cast, effective.document)


@pytest.mark.verifies("DOC-021", refusal=True)
def test_a_legal_hold_stops_disposal_until_released(cast, expired):
    hold = actions.place_legal_hold(
        actor=cast.qa_lead, document=expired, reason="Litigation about device lot 42"
    )
    with pytest.raises(TransitionNotAllowed, match="legal hold"):
        _dispose(cast, expired)
    actions.release_legal_hold(actor=cast.qa_lead, hold=hold, reason="Case closed")
    assert _dispose(cast, expired).document == expired


def test_disposal_needs_the_password_and_the_right(cast, expired):
    with pytest.raises(ReauthenticationFailed):
        _dispose(cast, expired, credentials=Credentials("wrong"))
    with pytest.raises(PermissionRefused):
        actions.dispose_document(actor=cast.author, document=expired, reason="x", credentials=SIGN)
    assert not Disposition.objects.exists()


def test_retention_counts_from_withdrawal(cast, expired):
    withdrawn = timezone.localtime(expired.withdrawn_at).date()
    ends = actions.retention_ends(expired)
    assert ends.month == withdrawn.month and ends.year == withdrawn.year + 10
