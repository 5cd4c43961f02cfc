"""The QMS dashboard shows the certified scope beside the scope in force, the difference
marked, the reassessment flag and the organisation."""

import pytest

from openqms.qms.actions import organisation as org

from .scope_world import certified_v1_and_v2_in_force

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_both_scopes_side_by_side_and_the_flag(cast, signed_in):
    certified_v1_and_v2_in_force(cast)
    org.save_organisation(
        actor=cast.qa_lead,
        legal_name="Halden Health Ltd",
        registered_address="London",
        based_in_uk=True,
    )
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert "Certified: " in page and "version 1</a>" in page and "version 2</a>" in page
    assert "<ins>HR-ACC Family HR-ACC</ins>" in page
    assert 'data-testid="reassessment-flag"' in page
    assert "Halden Health Ltd" in page


def test_an_empty_instance_says_what_to_do(cast, signed_in):
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert "No scope is in force yet" in page
    assert "The organisation profile is not filled in yet." in page
