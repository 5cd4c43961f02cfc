"""A medical device file names only the documents the viewer may open
(documents.access): a draft filed by QA shows to others as "a document you cannot open",
on the page and in the API alike. Filing finds the document the same way, so a number
that does not exist and a document the person may not open get the same answer."""

import pytest

from openqms.core.access import forget_permissions
from openqms.core.actions import grant_role
from openqms.core.models import Role
from openqms.devices import actions
from openqms.devices.contents import HIDDEN
from openqms.devices.models import FileEntry
from openqms.testing import event_count

from .conftest import draft_document, effective_document, section
from .test_api_devices import Api

NO_DOCUMENT = "There is no document with this number that you may open."


@pytest.fixture
def filed_draft(cast, family):
    draft = draft_document(cast, "Unreleased labelling")
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("labels"), document=draft
    )
    return draft


@pytest.fixture
def keeper(cast):
    """Keeps the device files but reads only documents in force (not QA)."""
    role = Role.objects.create(
        code="device_keeper",
        name="Device keeper",
        permissions=["devices.device:manage", "documents.document:read"],
    )
    grant_role(actor=cast.admin, user=cast.trainee, role=role, reason="test")
    forget_permissions(cast.trainee)
    return cast.trainee


@pytest.mark.verifies("DEV-014", refusal=True)
def test_a_draft_in_the_file_is_not_named_to_who_may_not_open_it(
    cast, filed_draft, signed_in, client
):
    page = signed_in(cast.reviewer).get("/devices/families/HR-SW/").content.decode()
    assert HIDDEN in page
    assert filed_draft.number not in page and filed_draft.title not in page
    labels = Api(client, cast.reviewer).get("/files/HR-SW").json()["sections"]
    (row,) = [d for s in labels for d in s["documents"]]
    assert (row["document"], row["title"], row["revision_in_force"]) == (None, HIDDEN, None)


@pytest.mark.verifies("DEV-014")
def test_the_author_and_qa_see_the_draft_they_may_open(cast, filed_draft, signed_in):
    for person in (cast.author, cast.qa_lead):
        page = signed_in(person).get("/devices/families/HR-SW/").content.decode()
        assert filed_draft.number in page and HIDDEN not in page


@pytest.mark.verifies("DEV-014", refusal=True)
def test_filing_a_document_one_may_not_open_is_refused_like_a_missing_one(
    cast, family, keeper, signed_in, client
):
    draft = draft_document(cast, "Unreleased labelling")
    api = Api(client, keeper)
    before = event_count()
    for number in (draft.number, "NOPE-1"):
        response = api.send(
            "post", "/files/HR-SW/documents", {"section": "labels", "document": number}
        )
        assert response.status_code == 422
        assert response.json()["message"] == NO_DOCUMENT
        page = signed_in(keeper).post(
            "/devices/families/HR-SW/file/",
            {"section": "labels", "document": number},
            follow=True,
        )
        assert NO_DOCUMENT in page.content.decode()
    assert event_count() == before
    assert not FileEntry.objects.exists()


@pytest.mark.verifies("DEV-013")
def test_the_keeper_files_a_document_in_force(cast, family, keeper, client):
    sop = effective_document(cast, "Software release")
    response = Api(client, keeper).send(
        "post", "/files/HR-SW/documents", {"section": "labels", "document": sop.number}
    )
    assert response.status_code == 201
    assert FileEntry.objects.get().document == sop
