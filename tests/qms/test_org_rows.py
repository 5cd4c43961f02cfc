"""Sites, approved bodies, UK Responsible People and market roles: created, edited and
retired with a reason, each change audited old → new; nothing is deleted."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions import organisation as org
from openqms.qms.models import ApprovedBody, MarketRole, Site
from openqms.testing import changes_of, event_count, last_event

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-013")
def test_a_site_is_created_edited_and_retired(cast):
    site = org.save_site(actor=cast.qa_lead, name="Cambridge", address="Station Road")
    assert last_event().action == "qms.site.saved"
    assert changes_of(last_event()) == {
        "name": [None, "Cambridge"],
        "address": [None, "Station Road"],
        "activities": [None, ""],
    }
    org.save_site(actor=cast.qa_lead, site=site, name="Cambridge", address="Hills Road")
    assert changes_of(last_event()) == {"address": ["Station Road", "Hills Road"]}
    site = org.retire_site(actor=cast.qa_lead, site=site, reason="Moved out")
    event = last_event()
    assert (event.action, event.reason) == ("qms.site.retired", "Moved out")
    assert Site.objects.get().retired


def test_a_retired_site_cannot_be_changed(cast):
    site = org.save_site(actor=cast.qa_lead, name="Cambridge", address="Station Road")
    org.retire_site(actor=cast.qa_lead, site=site, reason="Moved out")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        org.save_site(actor=cast.qa_lead, site=site, name="Cambridge", address="Elsewhere")
    with pytest.raises(TransitionNotAllowed):
        org.retire_site(actor=cast.qa_lead, site=site, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("QMS-013")
def test_two_bodies_of_one_kind_cannot_share_a_number(cast):
    org.save_body(actor=cast.qa_lead, name="Albion", number="0994")
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        org.save_body(actor=cast.qa_lead, name="Other", number="0994")
    assert "number" in refused.value.fields
    assert ApprovedBody.objects.count() == 1 and event_count() == before


def test_the_body_named_in_the_profile_cannot_be_retired(cast):
    body = org.save_body(actor=cast.qa_lead, name="Albion", number="0994")
    org.save_organisation(
        actor=cast.qa_lead,
        legal_name="H",
        registered_address="L",
        based_in_uk=True,
        approved_body=body,
    )
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="organisation profile"):
        org.retire_body(actor=cast.qa_lead, body=body, reason="Changed body")
    assert event_count() == before


def test_a_reason_is_needed_to_retire(cast):
    person = org.save_responsible_person(actor=cast.qa_lead, name="RP Ltd", address="Leeds")
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        org.retire_responsible_person(actor=cast.qa_lead, person=person, reason=" ")
    assert "reason" in refused.value.fields and event_count() == before


def test_market_roles_are_added_once_and_retired(cast):
    held = org.add_market_role(actor=cast.qa_lead, market="gb", role="manufacturer")
    assert changes_of(last_event()) == {"market": [None, "gb"], "role": [None, "manufacturer"]}
    before = event_count()
    with pytest.raises(InvalidInput, match="already has that role"):
        org.add_market_role(actor=cast.qa_lead, market="gb", role="manufacturer")
    with pytest.raises(InvalidInput):
        org.add_market_role(actor=cast.qa_lead, market="us", role="manufacturer")
    assert event_count() == before
    org.retire_market_role(actor=cast.qa_lead, market_role=held, reason="Left GB")
    assert last_event().action == "qms.market_role.retired"
    org.add_market_role(actor=cast.qa_lead, market="gb", role="manufacturer")
    assert MarketRole.objects.count() == 2


@pytest.mark.verifies("QMS-013")
def test_only_the_organisation_manager_keeps_the_rows(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        org.save_site(actor=cast.manager, name="X", address="Y")
    with pytest.raises(PermissionRefused):
        org.add_market_role(actor=cast.author, market="gb", role="importer")
    assert not Site.objects.exists() and event_count() == before
