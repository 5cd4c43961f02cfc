"""The integrity page shows administrators and auditors the last scheduled checks, each
finding in plain words, and the public key to give the auditor; others get a 404."""

import html

import pytest

from openqms.core import checkpoints, integrity
from openqms.core.periodic import StillFailing
from openqms.training.models import CompetenceRecord
from tests import integrity_world


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _page(client) -> str:
    response = client.get("/integrity/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_before_any_check_the_page_says_how_to_run_one(signed_in, cast):
    page = _page(signed_in(cast.auditor))
    assert "No scheduled check has run yet" in page
    assert "openqms verify" in page
    assert checkpoints.public_key_text() in page


def test_the_last_result_and_each_finding_are_shown(signed_in, world, cast, settings):
    settings.INTEGRITY_HOURS = 0
    integrity.scheduled_check()
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    with pytest.raises(StillFailing, match="integrity check FAILED with 1 finding"):
        integrity.scheduled_check()
    checkpoints.make_checkpoint()
    page = _page(signed_in(cast.admin))
    assert "problems found" in page
    assert "1 problem found" in page
    record = f"training.competencerecord {world.competence.pk} (trainee: GCP course)"
    assert f'<td data-label="Record">{record}</td>' in page
    assert '<td data-label="The record says now">expires 2099-01-01</td>' in page
    assert "Earlier checks" in page  # the first one, which held
    assert "Last checkpoints" in page


def test_the_navigation_offers_the_page_to_auditors_only(signed_in, cast):
    assert 'href="/integrity/"' in signed_in(cast.auditor).get("/").content.decode()
    assert 'href="/integrity/"' not in signed_in(cast.author).get("/").content.decode()
