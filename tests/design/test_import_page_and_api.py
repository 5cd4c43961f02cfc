"""The "Import requirements" page and the import/export endpoints: the same function as
the command, every problem shown, 404 for someone who may not import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openqms.core import actions as core_actions
from openqms.design.models import Item, Link
from openqms.testing import event_count

GOOD = b"uid,type,title,text,parent\nREQ-1,,Detect,Detect AF,\nTEST-1,,Test,Tests it,REQ-1\n"
BAD = b"uid,type,title,text,parent\nREQ-1,,Detect,Detect AF,\nTEST-1,,Test,Tests it,REQ-9\n"


def upload(content, name="reqs.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.verifies("DES-016")
def test_the_page_imports_a_csv_and_goes_back_to_the_project(cast, project, signed_in):
    client = signed_in(cast.author)
    response = client.post(f"/design/projects/{project.pk}/import/", {"files": upload(GOOD)})
    assert response.status_code == 302
    assert set(Link.objects.values_list("source__uid", "kind", "target__uid")) == {
        ("TEST-1", "verifies", "REQ-1")
    }


@pytest.mark.verifies("DES-015")
def test_the_page_shows_every_problem_and_writes_nothing(cast, project, signed_in):
    client = signed_in(cast.author)
    before = event_count()
    response = client.post(f"/design/projects/{project.pk}/import/", {"files": upload(BAD)})
    assert response.status_code == 422
    assert "there is no item REQ-9 in the files or the project" in response.content.decode()
    assert (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_who_may_not_import_meets_404_on_the_page(cast, project, signed_in):
    client = signed_in(cast.auditor)
    assert client.get(f"/design/projects/{project.pk}/import/").status_code == 404


def headers(user):
    token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.verifies("DES-016", "DES-019")
def test_the_api_imports_a_file_and_exports_reqif(client, cast, project):
    auth = headers(cast.author)
    response = client.post(
        f"/api/v1/design/projects/{project.pk}/import", {"file": upload(GOOD)}, headers=auth
    )
    assert response.status_code == 200, response.content
    assert (response.json()["items"], response.json()["links"]) == (2, 1)
    exported = client.get(f"/api/v1/design/projects/{project.pk}/reqif", headers=auth)
    assert exported.status_code == 200
    assert b"TEST-1" in exported.content


@pytest.mark.verifies("DES-015")
def test_the_api_answers_422_with_every_problem(client, cast, project):
    auth = headers(cast.author)
    before = event_count()
    response = client.post(
        f"/api/v1/design/projects/{project.pk}/import", {"file": upload(BAD)}, headers=auth
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] == 3
    assert (Item.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_the_api_answers_404_to_someone_who_may_not_import(client, cast, project):
    response = client.post(
        f"/api/v1/design/projects/{project.pk}/import",
        {"file": upload(GOOD)},
        headers=headers(cast.auditor),
    )
    assert response.status_code == 404
