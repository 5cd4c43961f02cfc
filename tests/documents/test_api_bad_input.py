"""Bad input never crashes the documents API: a 2xx, or a 4xx with a JSON error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.documents.test_api_documents import Api
from tests.strategies import json_bodies

KEYS = [
    "type",
    "title",
    "clauses",
    "body",
    "change_summary",
    "change_reason",
    "effective_date",
    "password",
    "reason",
    "content_hash",
    "based_on",
]
JSON = json_bodies(KEYS)
WRITES = [
    ("post", ""),
    ("post", "/SOP-001/revisions"),
    ("put", "/SOP-001/revisions/A"),
    ("post", "/SOP-001/revisions/A/submit"),
    ("post", "/SOP-001/revisions/A/reject"),
    ("post", "/SOP-001/withdraw"),
]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def qa_lead_api(client, cast, draft):
    return Api(client, cast.qa_lead)


def _clear(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


@FUZZ
@given(write=st.sampled_from(WRITES), body=JSON)
def test_any_json_body_gets_a_clear_answer(qa_lead_api, write, body):
    method, path = write
    _clear(getattr(qa_lead_api, method)(path, body))


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["type", "status", "owner", "clause", "q", "offset", "limit"]),
        st.text(max_size=12),
        max_size=4,
    )
)
def test_any_list_query_gets_a_clear_answer(qa_lead_api, query):
    response = qa_lead_api.get(**query)
    assert response.status_code in (200, 422), response.content
