import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.documents import actions
from openqms.documents.models import ExternalDocument
from openqms.testing import changes_of, event_count, last_event

pytestmark = pytest.mark.verifies("DOC-017")


def test_qa_registers_a_standard(cast):
    document = actions.register_external_document(
        actor=cast.qa_lead,
        reference="ISO 13485:2016",
        title="Medical devices — QMS",
        edition="2016 + A11:2021",
        source="BSI",
    )
    event = last_event()
    assert event.action == "documents.external.added"
    assert changes_of(event)["reference"] == [None, "ISO 13485:2016"]
    assert document.last_checked is None


def test_the_same_reference_twice_is_refused(cast):
    actions.register_external_document(
        actor=cast.qa_lead, reference="ISO 14971:2019", title="Risk management"
    )
    before = event_count()
    with pytest.raises(InvalidInput, match="already in the register"):
        actions.register_external_document(
            actor=cast.qa_lead, reference="iso 14971:2019", title="Again"
        )
    assert event_count() == before and ExternalDocument.objects.count() == 1


def test_a_currency_check_is_recorded_with_who_and_when(cast):
    document = actions.register_external_document(
        actor=cast.qa_lead, reference="SI 2002/618", title="UK MDR 2002", edition="2002"
    )
    document = actions.check_external_document(
        actor=cast.qa_lead,
        document=document,
        is_current=True,
        edition="2002 as amended",
        notes="Checked legislation.gov.uk",
    )
    assert (document.last_checked, document.checked_by) == (timezone.localdate(), cast.qa_lead)
    event = last_event()
    assert event.action == "documents.external.checked"
    assert changes_of(event)["edition"] == ["2002", "2002 as amended"]
    assert event.reason == "Checked legislation.gov.uk"


def test_people_without_the_right_cannot_change_the_register(cast):
    with pytest.raises(PermissionRefused):
        actions.register_external_document(actor=cast.author, reference="X", title="Y")
    assert not ExternalDocument.objects.exists()
