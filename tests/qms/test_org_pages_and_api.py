"""The organisation's pages and API: everyone signed in reads, the QA lead keeps it;
someone without the permission meets 404 on the doors that change it."""

import pytest

from openqms.qms.models import MarketRole, Organisation, Site
from openqms.testing import event_count

from .scope_world import Api

pytestmark = pytest.mark.django_db


def test_the_qa_lead_keeps_the_profile_on_its_pages(cast, signed_in):
    client = signed_in(cast.qa_lead)
    assert client.get("/qms/organisation/edit/").status_code == 200
    response = client.post(
        "/qms/organisation/edit/",
        {"legal_name": "Halden Health Ltd", "registered_address": "London", "based_in_uk": "on"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get().legal_name == "Halden Health Ltd"
    client.post("/qms/organisation/site/new/", {"name": "Cambridge", "address": "Station Rd"})
    site = Site.objects.get()
    client.post(f"/qms/organisation/site/{site.pk}/retire/", {"reason": "Closed"})
    assert Site.objects.get().retired
    client.post("/qms/organisation/roles/", {"market": "ni", "role": "manufacturer"})
    assert MarketRole.objects.get().market == "ni"
    page = client.get("/qms/organisation/").content.decode()
    assert "Halden Health Ltd" in page and "Northern Ireland" in page


def test_a_blank_name_on_the_page_is_named_and_saves_nothing(cast, signed_in):
    before = event_count()
    response = signed_in(cast.qa_lead).post(
        "/qms/organisation/site/new/", {"name": "", "address": "x"}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Site.objects.exists() and event_count() == before


@pytest.mark.verifies("QMS-012", refusal=True)
def test_readers_read_but_cannot_change(cast, signed_in):
    client = signed_in(cast.trainee)
    assert client.get("/qms/organisation/").status_code == 200
    assert client.get("/qms/organisation/edit/").status_code == 404
    assert client.get("/qms/organisation/site/new/").status_code == 404
    assert (
        client.post("/qms/organisation/roles/", {"market": "gb", "role": "importer"}).status_code
        == 404
    )
    assert not MarketRole.objects.exists()


def test_the_profile_over_the_api(cast, client):
    qa, reader = Api(client, cast.qa_lead), Api(client, cast.trainee)
    blank = reader.get("/organisation").json()
    assert (blank["filled_in"], blank["legal_name"], blank["market_roles"]) == (False, "", [])
    body = qa.post("/approved-bodies", {"name": "Albion", "number": "0994"}).json()
    response = qa.put(
        "/organisation",
        {
            "legal_name": "Halden Health Ltd",
            "registered_address": "London",
            "based_in_uk": False,
            "approved_body_id": body["id"],
        },
    )
    assert response.status_code == 200, response.content
    shown = reader.get("/organisation").json()
    assert (shown["needs_responsible_person"], shown["approved_body_id"]) == (True, body["id"])
    assert qa.post("/sites", {"name": "Cambridge", "address": "x"}).status_code == 201
    person = qa.post("/responsible-persons", {"name": "RP", "address": "Leeds"}).json()
    assert person["mandate"] == ""
    bad = qa.post("/responsible-persons", {"name": "RP", "address": "Leeds", "mandate": "NOPE"})
    assert (bad.status_code, bad.json()["fields"]) == (422, {"mandate": "Unknown."})
    assert reader.post("/sites", {"name": "X", "address": "y"}).status_code == 404
    role = qa.post("/organisation/market-roles", {"market": "eu", "role": "importer"}).json()
    assert (
        qa.post(
            f"/organisation/market-roles/{role['id']}/retire", {"reason": "Stopped"}
        ).status_code
        == 200
    )
    assert [s["name"] for s in reader.get("/sites").json()] == ["Cambridge"]
