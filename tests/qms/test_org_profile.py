"""The organisation profile: one row, every change audited old → new; a maker based
outside the UK is warned while it has no UK Responsible Person (UK MDR 2002 reg. 7A)."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.qms.actions import organisation as org
from openqms.qms.models import Organisation
from openqms.testing import changes_of, event_count, last_event

pytestmark = pytest.mark.django_db


def _save(cast, **overrides):
    values = {
        "legal_name": "Halden Health Ltd",
        "registered_address": "London",
        "based_in_uk": True,
    }
    return org.save_organisation(actor=cast.qa_lead, **{**values, **overrides})


@pytest.mark.verifies("QMS-012")
def test_the_first_save_records_every_field(cast):
    profile = _save(cast)
    event = last_event()
    assert event.action == "qms.organisation.saved"
    changes = changes_of(event)
    changes.pop("updated_at")
    assert changes == {
        "legal_name": [None, "Halden Health Ltd"],
        "registered_address": [None, "London"],
        "based_in_uk": [None, True],
    }
    assert profile.key == 1 and Organisation.objects.count() == 1


@pytest.mark.verifies("QMS-012")
def test_a_change_records_old_and_new_and_keeps_one_row(cast):
    _save(cast)
    body = org.save_body(actor=cast.qa_lead, name="Albion", number="0994")
    _save(cast, legal_name="Halden Health Limited", approved_body=body)
    changes = changes_of(last_event())
    changes.pop("updated_at")
    assert changes == {
        "legal_name": ["Halden Health Ltd", "Halden Health Limited"],
        "approved_body": [None, body.pk],
    }
    assert Organisation.objects.count() == 1


def test_saving_the_same_profile_writes_nothing(cast):
    _save(cast)
    before = event_count()
    _save(cast)
    assert event_count() == before


def test_a_maker_outside_the_uk_is_warned_until_it_names_a_responsible_person(cast, signed_in):
    _save(cast, based_in_uk=False)
    page = signed_in(cast.trainee).get("/qms/organisation/").content.decode()
    assert "has no UK Responsible Person" in page
    person = org.save_responsible_person(actor=cast.qa_lead, name="RP Ltd", address="Leeds")
    _save(cast, based_in_uk=False, responsible_person=person)
    page = signed_in(cast.trainee).get("/qms/organisation/").content.decode()
    assert "has no UK Responsible Person" not in page


@pytest.mark.verifies("QMS-012", refusal=True)
@pytest.mark.parametrize(
    ("actor", "overrides", "error"),
    [
        ("qa_lead", {"legal_name": " "}, InvalidInput),
        ("qa_lead", {"registered_address": "a\x00b"}, InvalidInput),
        ("author", {}, PermissionRefused),
    ],
)
def test_refusals_change_nothing(cast, actor, overrides, error):
    before = event_count()
    values = {"legal_name": "X", "registered_address": "Y", "based_in_uk": True, **overrides}
    with pytest.raises(error):
        org.save_organisation(actor=getattr(cast, actor), **values)
    assert not Organisation.objects.exists()
    assert event_count() == before
