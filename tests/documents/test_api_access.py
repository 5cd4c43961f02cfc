"""Who reaches what over the API: 404 for missing and forbidden alike, nothing written."""

from openqms.documents import actions
from openqms.documents.models import Document, Revision
from openqms.testing import event_count
from tests.documents.test_api_documents import Api

NEW = {"type": "procedure", "title": "Mine", "change_reason": "Mine"}
EDIT = {"body": "Mine", "change_summary": "", "change_reason": "Mine", "effective_date": None}


def test_a_trainee_sees_only_the_effective_revision(client, cast, effective):
    actions.start_revision(actor=cast.author, document=effective.document, change_reason="B")
    api = Api(client, cast.trainee)
    assert [r["label"] for r in api.get("/SOP-001").json()["revisions"]] == ["A"]
    assert api.get("/SOP-001/revisions/A").status_code == 200
    response = api.get("/SOP-001/revisions/B")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_a_trainee_sees_an_empty_list_while_nothing_is_effective(client, cast, draft):
    response = Api(client, cast.trainee).get()
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_offset": None}
    assert Api(client, cast.trainee).get("/SOP-001").status_code == 404


def test_a_missing_document_and_revision_are_404(client, cast, effective):
    api = Api(client, cast.qa_lead)
    assert api.get("/SOP-999").status_code == 404
    assert api.get("/SOP-001/revisions/Z").status_code == 404


def test_an_outsider_meets_404_everywhere_and_nothing_changes(client, cast, effective):
    api = Api(client, cast.outsider)
    before = event_count()
    for response in (
        api.get(),
        api.post("", NEW),
        api.get("/SOP-001"),
        api.post("/SOP-001/revisions", {"change_reason": "Mine"}),
        api.get("/SOP-001/revisions/A"),
        api.put("/SOP-001/revisions/A", EDIT),
        api.post("/SOP-001/revisions/A/approve", {"password": "x"}),
        api.post("/SOP-001/withdraw", {"reason": "Mine"}),
    ):
        assert response.status_code == 404, response.content
        assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}
    effective.refresh_from_db()
    assert effective.state == "effective" and effective.document.withdrawn_at is None
    assert (Document.objects.count(), Revision.objects.count()) == (1, 1)
    assert event_count() == before
