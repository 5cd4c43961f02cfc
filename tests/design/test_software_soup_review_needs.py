"""A SOUP item's known-anomaly review (IEC 62304 7.1.3) is judged against its recorded
requirements (5.3.3, the text on the item) or the risks it contributes to (7.1.2 c):
with neither recorded, signing is refused and nothing is written."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import Signature
from openqms.design.actions import items as design
from openqms.design.actions import software
from openqms.design.models import SoupItem
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item
from tests.design.test_software_soup import soup  # noqa: F401
from tests.design.test_software_systems import device, system  # noqa: F401

pytestmark = pytest.mark.verifies("DES-052")


def sign(cast, soup):  # noqa: F811
    return software.review_soup(
        actor=cast.reviewer,
        soup=soup,
        anomalies="Release notes of this version read.",
        conclusion="None affects our use.",
        credentials=SIGN,
    )


@pytest.mark.verifies("DES-052", refusal=True)
def test_a_soup_item_with_no_requirements_and_no_risks_cannot_be_signed(cast, soup):  # noqa: F811
    before = (event_count(), Signature.objects.count())
    with pytest.raises(TransitionNotAllowed, match="no requirements and no risk links") as e:
        sign(cast, soup)
    assert "IEC 62304 5.3.3" in e.value.message
    soup.refresh_from_db()
    assert (soup.state, soup.anomalies, soup.reviewed_version) == ("needs_review", "", "")
    assert (event_count(), Signature.objects.count()) == before


def test_blank_requirements_do_not_count_as_requirements(cast, soup):  # noqa: F811
    SoupItem.objects.filter(pk=soup.pk).update(requirements="  \n ")
    soup.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="no requirements"):
        sign(cast, soup)
    assert event_count() == before


def test_a_soup_item_with_requirements_recorded_can_be_signed(cast, soup):  # noqa: F811
    soup = software.edit_soup(actor=cast.author, soup=soup, requirements="Parses ECG files.")
    sign(cast, soup)
    soup.refresh_from_db()
    assert soup.state == "reviewed"
    event = last_event()
    assert event.action == "design.soup.reviewed"
    assert changes_of(event)["state"] == ["needs_review", "reviewed"]
    assert Signature.objects.filter(meaning="soup_reviewed").count() == 1


def test_a_soup_item_with_only_a_risk_link_can_be_signed(cast, soup, device):  # noqa: F811
    project = design.create_project(actor=cast.author, name="RhythmCheck", device=device)
    software.link_soup_risk(
        actor=cast.author, soup=soup, risk=item(cast, project, "RISK-1", "risk")
    )
    sign(cast, soup)
    soup.refresh_from_db()
    assert soup.state == "reviewed"
    assert last_event().action == "design.soup.reviewed"


def test_the_soup_page_says_why_it_cannot_be_signed_yet(cast, soup, signed_in):  # noqa: F811
    page = signed_in(cast.reviewer).get(f"/design/soup/{soup.pk}/").content.decode()
    assert "Sign the anomaly review" not in page
    assert "has no requirements and no risk links recorded" in page
