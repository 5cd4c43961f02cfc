"""A device's PMS plan is a controlled document linked to it; a new link ends the old
one, which stays in the history; each link is audited."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events.actions import pms
from openqms.events.models import PmsPlan
from openqms.testing import changes_of, event_count, last_event

from .conftest import effective_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_document(cast):
    return effective_document(cast, "RhythmCheck PMS plan", doc_type="plan")


@pytest.mark.verifies("EVT-022")
def test_linking_a_plan_makes_it_the_devices_plan(cast, device, plan_document):
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan_document)
    assert pms.current_plan(device).document == plan_document
    event = last_event()
    assert (event.action, event.object_type) == ("events.pms_plan.linked", "devices.device")
    assert changes_of(event) == {"pms_plan": [None, plan_document.number]}


@pytest.mark.verifies("EVT-022")
def test_a_new_plan_ends_the_old_link_which_is_kept(cast, device, plan_document):
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan_document)
    newer = effective_document(cast, "RhythmCheck PMS plan v2", doc_type="plan")
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=newer)
    assert pms.current_plan(device).document == newer
    old = PmsPlan.objects.get(document=plan_document)
    assert old.replaced_at is not None
    assert changes_of(last_event()) == {"pms_plan": [plan_document.number, newer.number]}


@pytest.mark.verifies("EVT-022", refusal=True)
def test_linking_the_same_plan_again_is_refused(cast, device, plan_document):
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan_document)
    before = event_count()
    with pytest.raises(InvalidInput) as refusal:
        pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan_document)
    assert "document" in refusal.value.fields
    assert event_count() == before and PmsPlan.objects.count() == 1


@pytest.mark.verifies("EVT-022")
@pytest.mark.parametrize("who", ["author", "auditor", "manager"])
def test_only_those_who_handle_quality_events_link_a_plan(cast, device, plan_document, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        pms.link_pms_plan(actor=getattr(cast, who), device=device, document=plan_document)
    assert event_count() == before and not PmsPlan.objects.exists()
