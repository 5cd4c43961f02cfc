"""Reading documents over the API: the list, its filters and pages, a document, a revision."""

import datetime as dt
import hashlib
import json
from io import BytesIO

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions
from openqms.core.signatures import content_hash
from openqms.documents import actions
from openqms.documents.models import DocumentType
from openqms.testing import named
from tests.documents.conftest import SIGN


class Api:
    """A bearer-token client for one person; the token is made (and audited) up front."""

    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path="", **query):
        return self.client.get(f"/api/v1/documents{path}", query, headers=self.headers)

    def post(self, path="", body=None):
        return self.client.post(
            f"/api/v1/documents{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def sign(self, path, body):
        """Post a signed step with the content hash this person was shown of the revision."""
        revision = self.get(path.rsplit("/", 1)[0]).json()
        return self.post(path, {"content_hash": revision.get("content_hash", ""), **body})

    def put(self, path, body):
        """Save a draft based on the copy read just now (its `draft_version`), unless the
        body says which copy it was based on."""
        if isinstance(body, dict) and "based_on" not in body:
            current = self.get(path).json()
            body = {**body, "based_on": current.get("draft_version", "0" * 64)}
        return self.client.put(
            f"/api/v1/documents{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def shown(value):
    """A date or time as the API writes it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def approved(cast, revision):
    revision = actions.take_step(
        actor=revision.author, revision=revision, step="submit", **named(cast)
    )
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


@pytest.fixture
def three(cast, effective):
    """SOP-001 effective (with draft B), SOP-002 a draft, WI-001 a draft owned by QA."""
    actions.start_revision(actor=cast.author, document=effective.document, change_reason="B")
    actions.create_document(
        actor=cast.author,
        doc_type=effective.document.doc_type,
        title="Control of records",
        clauses=["4.2.5"],
    )
    actions.create_document(
        actor=cast.qa_lead,
        doc_type=DocumentType.objects.get(code="work_instruction"),
        title="Calibration",
        clauses=["7.6", "4.2.4"],
    )


def test_the_list_shows_each_document_with_its_current_revision(client, cast, effective):
    effective.document.refresh_from_db()
    response = Api(client, cast.trainee).get()
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "number": "SOP-001",
                "title": "Document control",
                "type": "procedure",
                "owner": "author",
                "clauses": ["4.2.4"],
                "next_review": shown(effective.document.next_review),
                "withdrawn": False,
                "current_revision": {
                    "label": "A",
                    "state": "effective",
                    "effective_date": None,
                    "became_effective_at": shown(effective.became_effective_at),
                },
            }
        ],
        "next_offset": None,
    }


def test_the_current_revision_is_the_effective_one_while_a_new_draft_is_written(
    client, cast, three
):
    items = Api(client, cast.qa_lead).get(q="SOP-001").json()["items"]
    assert [(i["number"], i["current_revision"]["label"]) for i in items] == [("SOP-001", "A")]


def test_without_an_effective_revision_the_current_one_is_the_newest_visible(client, cast, three):
    items = Api(client, cast.author).get(q="SOP-002").json()["items"]
    assert items[0]["current_revision"]["label"] == "A"
    assert items[0]["current_revision"]["state"] == "draft"


@pytest.mark.parametrize(
    "query, numbers",
    [
        ({}, ["SOP-001", "SOP-002", "WI-001"]),
        ({"type": "work_instruction"}, ["WI-001"]),
        ({"status": "draft"}, ["SOP-002", "WI-001"]),
        ({"status": "effective"}, ["SOP-001"]),
        ({"owner": "qa-lead"}, ["WI-001"]),
        ({"clause": "4.2.4"}, ["SOP-001", "WI-001"]),
        ({"clause": "4.2"}, []),
        ({"q": "CONTROL"}, ["SOP-001", "SOP-002"]),
        ({"q": "wi-0"}, ["WI-001"]),
        ({"type": "procedure", "status": "draft", "q": "records"}, ["SOP-002"]),
    ],
)
def test_the_list_filters(client, cast, three, query, numbers):
    response = Api(client, cast.qa_lead).get(**query)
    assert response.status_code == 200
    assert [i["number"] for i in response.json()["items"]] == numbers


def test_the_list_comes_in_pages(client, cast, three):
    api = Api(client, cast.qa_lead)
    first = api.get(limit=2).json()
    assert [i["number"] for i in first["items"]] == ["SOP-001", "SOP-002"]
    assert first["next_offset"] == 2
    second = api.get(limit=2, offset=2).json()
    assert [i["number"] for i in second["items"]] == ["WI-001"]
    assert second["next_offset"] is None


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": 10**9 + 1}, "offset"),
        ({"offset": -1}, "offset"),
        ({"status": "lost"}, "status"),
        ({"q": "a\x00b"}, "q"),
        ({"clause": "\x00"}, "clause"),
    ],
)
def test_out_of_range_list_queries_are_422_with_the_field_named(client, cast, query, field):
    response = Api(client, cast.qa_lead).get(**query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["fields"]) == [field]


def _make(cast, sop_type, count, start):
    for n in range(start, start + count):
        revision = actions.create_document(
            actor=cast.author, doc_type=sop_type, title=f"P{n}", body="Text"
        )
        if n % 2:
            approved(cast, revision)


def _list_queries(client, user):
    api = Api(client, user)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(limit=200)
    assert response.status_code == 200
    return len(response.json()["items"]), len(queries)


@pytest.mark.parametrize("reader", ["author", "qa_lead"])
def test_the_list_query_count_does_not_grow_with_documents(client, cast, sop_type, reader):
    _make(cast, sop_type, 3, 0)
    rows, few = _list_queries(client, getattr(cast, reader))
    assert rows == 3
    _make(cast, sop_type, 17, 3)
    rows, many = _list_queries(client, getattr(cast, reader))
    assert rows == 20
    assert many == few


def test_a_document_shows_its_revisions_newest_first(client, cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="B")
    document = effective.document
    document.refresh_from_db()
    response = Api(client, cast.qa_lead).get("/SOP-001")
    assert response.status_code == 200
    assert response.json() == {
        "number": "SOP-001",
        "title": "Document control",
        "type": "procedure",
        "type_name": "Procedure (SOP)",
        "owner": "author",
        "owner_name": "Alex Author",
        "clauses": ["4.2.4"],
        "created_at": shown(document.created_at),
        "next_review": shown(document.next_review),
        "withdrawn": False,
        "withdrawn_at": None,
        "withdraw_reason": "",
        "revisions": [
            {
                "label": "B",
                "state": "draft",
                "author": "author",
                "author_name": "Alex Author",
                "created_at": shown(b.created_at),
                "effective_date": None,
                "became_effective_at": None,
                "ended_at": None,
            },
            {
                "label": "A",
                "state": "effective",
                "author": "author",
                "author_name": "Alex Author",
                "created_at": shown(effective.created_at),
                "effective_date": None,
                "became_effective_at": shown(effective.became_effective_at),
                "ended_at": None,
            },
        ],
        "allowed_steps": ["periodic_review", "withdraw"],
    }


def test_a_revision_shows_its_content_hash_and_signatures(client, cast, effective):
    response = Api(client, cast.trainee).get("/SOP-001/revisions/A")
    assert response.status_code == 200
    body = response.json()
    assert body["body"] == "1. Purpose\n\nControl documents."
    assert (body["change_summary"], body["change_reason"]) == ("First issue", "New procedure")
    assert body["content_hash"] == content_hash(effective.signature_content())
    assert [
        (s["printed_name"], s["meaning"], s["meaning_label"], s["valid"], s["problem"])
        for s in body["signatures"]
    ] == [
        ("Riley Reviewer", "reviewed", "Reviewed", True, ""),
        ("Morgan Approver", "approved", "Approved", True, ""),
    ]
    assert all(dt.datetime.fromisoformat(s["signed_at"]).tzinfo for s in body["signatures"])


def test_the_openapi_document_lists_every_documents_endpoint(client, cast):
    client.force_login(cast.author)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    documents = {p: sorted(m) for p, m in paths.items() if p.startswith("/api/v1/documents")}
    assert documents == {
        "/api/v1/documents": ["get", "post"],
        "/api/v1/documents/{number}": ["get"],
        "/api/v1/documents/{number}/revisions": ["post"],
        "/api/v1/documents/{number}/revisions/{label}": ["get", "put"],
        "/api/v1/documents/{number}/revisions/{label}/pdf": ["get"],
        "/api/v1/documents/{number}/revisions/{label}/attachments/{name}": ["get"],
        "/api/v1/documents/{number}/revisions/{label}/comments": ["post"],
        "/api/v1/documents/{number}/revisions/{label}/comments/{comment_id}/resolve": ["post"],
        "/api/v1/documents/{number}/revisions/{label}/named/{assignment_id}/reassign": ["post"],
        "/api/v1/documents/{number}/revisions/{label}/{step}": ["post"],
        "/api/v1/documents/{number}/revisions/{label}/take-over": ["post"],
        "/api/v1/documents/{number}/withdraw": ["post"],
        "/api/v1/documents/{number}/owner": ["post"],
    }


def test_a_revision_lists_its_files_which_are_part_of_the_content_hash(client, cast, draft):
    data = b"%PDF-1.4 flowchart"
    actions.attach_file(actor=cast.author, revision=draft, name="Flow.pdf", content=BytesIO(data))
    body = Api(client, cast.author).get("/SOP-001/revisions/A").json()
    assert body["attachments"] == [
        {"name": "Flow.pdf", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    ]
    assert body["content_hash"] == content_hash(draft.signature_content())
