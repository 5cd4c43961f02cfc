"""The QMS dashboard shows the certified scope beside the scope in force, the difference
marked, the reassessment flag and the organisation."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.qms.actions import organisation as org
from openqms.qms.models import Certificate, ScopeVersion

from .scope_world import certified_v1_and_v2_in_force

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-011")
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


def test_the_statement_is_compared_word_by_word(cast, signed_in):
    _, v2 = certified_v1_and_v2_in_force(cast)
    ScopeVersion.objects.filter(pk=v2.pk).update(
        statement="Rhythm analysis software and its patches."
    )
    page = signed_in(cast.qa_lead).get("/qms/").content.decode()
    assert "Rhythm analysis <del>software.</del>" in page
    assert "Rhythm analysis <ins>software and its patches.</ins>" in page
    assert "<del>Rhythm analysis software.</del>" not in page  # not the whole paragraph


def test_an_empty_instance_says_what_to_do(cast, signed_in):
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert "No scope is in force yet" in page
    assert "The organisation profile is not filled in yet." in page


@pytest.mark.verifies("QMS-011")
@pytest.mark.parametrize("lapse", ["withdrawn", "expired"])
def test_a_lapsed_certificate_is_not_shown_as_certified(cast, signed_in, lapse):
    certified_v1_and_v2_in_force(cast)
    today = timezone.localdate()
    if lapse == "withdrawn":
        Certificate.objects.update(retired_at=timezone.now())
    else:
        Certificate.objects.update(
            issued_on=today - dt.timedelta(days=400), expires_on=today - dt.timedelta(days=1)
        )
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert f"certificate {lapse}: no longer certified" in page
    assert "Last certified: " in page and "Certified: " not in page
