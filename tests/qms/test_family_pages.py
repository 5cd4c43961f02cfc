"""The device families page: everyone holding a role reads it (an outsider meets 404);
who keeps the families defines, edits and retires them there; others meet a 404 on the
changing pages."""

import pytest

from openqms.qms.actions.families import create_family
from openqms.qms.models import DeviceFamily
from openqms.testing import event_count, last_event


def test_everyone_with_a_role_reads_the_families_and_only_keepers_see_the_form(cast, signed_in):
    create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    assert signed_in(cast.outsider).get("/qms/families/").status_code == 404
    page = signed_in(cast.auditor).get("/qms/families/")
    assert page.status_code == 200
    assert "HR-SW Rhythm analysis software" in page.content.decode()
    assert "New device family" not in page.content.decode()
    assert "New device family" in signed_in(cast.qa_lead).get("/qms/families/").content.decode()


def test_a_family_is_defined_edited_and_retired_through_the_pages(cast, signed_in):
    client = signed_in(cast.qa_lead)
    response = client.post("/qms/families/", {"code": "HR-SW", "name": "Rhythm", "description": ""})
    assert response.status_code == 302
    response = client.post("/qms/families/HR-SW/edit/", {"code": "HR-SW", "name": "Rhythm 2"})
    assert response.status_code == 302
    assert DeviceFamily.objects.get().name == "Rhythm 2"
    client.post("/qms/families/HR-SW/retire/", {"reason": "Replaced"})
    assert last_event().action == "qms.family.retired"


def test_a_taken_code_comes_back_on_the_form(cast, signed_in):
    create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm")
    before = event_count()
    response = signed_in(cast.qa_lead).post("/qms/families/", {"code": "hr-sw", "name": "Again"})
    assert response.status_code == 200
    assert "A family HR-SW exists already." in response.content.decode()
    assert event_count() == before


@pytest.mark.verifies("QMS-022")
def test_others_meet_a_404_and_nothing_changes(cast, signed_in):
    create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm")
    client = signed_in(cast.author)
    before = event_count()
    assert client.post("/qms/families/", {"code": "X", "name": "X"}).status_code == 404
    assert client.get("/qms/families/HR-SW/edit/").status_code == 404
    assert client.post("/qms/families/HR-SW/retire/", {"reason": "x"}).status_code == 404
    assert signed_in(cast.qa_lead).get("/qms/families/NOPE/edit/").status_code == 404
    assert event_count() == before
