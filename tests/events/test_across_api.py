"""/api/v1/events/links and /procedures: the same actions as the pages, the same
refusals, the same 404 for missing and forbidden."""

import pytest

from openqms.core.models import RecordLink
from openqms.testing import event_count

from .across_records import complaint, record_pages  # noqa: F401
from .conftest import effective_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]
API = "/api/v1/events"


@pytest.mark.verifies("EVT-036")
def test_links_are_listed_added_and_removed(client, cast):
    a, b = complaint(cast), complaint(cast, title="Other")
    client.force_login(cast.qa_lead)
    made = client.post(
        f"{API}/links",
        {"kind": "complaint", "id": a.pk, "reference": b.number, "link_kind": "related"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["says"], body["record"]) == ("related to", f"events.complaint:{b.pk}")
    listed = client.get(f"{API}/links", {"kind": "complaint", "id": b.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["record"] == f"events.complaint:{a.pk}"
    gone = client.post(
        f"{API}/links/{body['id']}/remove",
        {"kind": "complaint", "id": a.pk, "reason": "Mistake"},
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["count"] == 0


@pytest.mark.verifies("EVT-036")
def test_a_refused_link_answers_with_the_field_and_writes_nothing(client, cast):
    a = complaint(cast)
    before = event_count()
    client.force_login(cast.qa_lead)
    response = client.post(
        f"{API}/links",
        {"kind": "complaint", "id": a.pk, "reference": "NOPE-1", "link_kind": "related"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "reference" in response.json()["fields"]
    client.force_login(cast.auditor)
    response = client.post(
        f"{API}/links",
        {"kind": "complaint", "id": a.pk, "reference": a.number, "link_kind": "related"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert event_count() == before and not RecordLink.objects.exists()


@pytest.mark.verifies("EVT-041")
def test_procedures_are_read_by_everyone_and_set_by_qa(client, cast):
    procedure = effective_document(cast, "Complaint handling")
    client.force_login(cast.qa_lead)
    answer = client.put(
        f"{API}/procedures/complaint",
        {"document": procedure.number},
        content_type="application/json",
    )
    assert answer.status_code == 200
    client.force_login(cast.auditor)
    rows = {r["kind"]: r for r in client.get(f"{API}/procedures").json()}
    assert rows["complaint"]["document"] == procedure.number and rows["capa"]["document"] is None


@pytest.mark.verifies("EVT-038", refusal=True)
@pytest.mark.parametrize(
    "path", ["/links?kind=complaint&id={pk}", "/procedures", "/links?kind=capa&id={pk}"]
)
def test_an_outsider_meets_404(client, cast, path):
    record = complaint(cast)
    client.force_login(cast.outsider)
    assert client.get(API + path.format(pk=record.pk)).status_code == 404
