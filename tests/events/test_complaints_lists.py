"""The feedback and complaint lists, pages and API, cost the same queries at 2 or 12 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import actions as core_actions

from .complaints_setup import NOT_SERIOUS, decide, open_complaint

PAGES = ["/events/feedback/", "/events/complaints/", "/events/complaints/?reportable=no"]
APIS = ["/api/v1/events/feedback", "/api/v1/events/complaints"]


def _add(cast, device, count):
    for _ in range(count):
        decide(cast, open_complaint(cast, device), NOT_SERIOUS, "No harm.")


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.verifies("EVT-045")
def test_the_lists_cost_the_same_queries_however_many_rows(cast, device, client):
    token = core_actions.create_api_token(actor=cast.auditor, user=cast.auditor, name="t")[1]
    auth = {"Authorization": f"Bearer {token}"}
    _add(cast, device, 2)
    client.force_login(cast.auditor)
    few = [_queries(client, u) for u in PAGES]
    client.logout()
    _queries(client, APIS[0], **auth)  # the token's first use is stamped once
    few_api = [_queries(client, u, **auth) for u in APIS]
    _add(cast, device, 10)
    client.force_login(cast.auditor)
    many = [_queries(client, u) for u in PAGES]
    client.logout()
    many_api = [_queries(client, u, **auth) for u in APIS]
    assert (few, few_api) == (many, many_api)


@pytest.mark.verifies("EVT-045")
def test_the_lists_filter(cast, device, client):
    one = open_complaint(cast, device)
    two = open_complaint(cast, device)
    decide(cast, two, NOT_SERIOUS, "No harm.")
    client.force_login(cast.auditor)
    html = client.get("/events/complaints/?reportable=undecided").content.decode()
    assert f"/events/complaints/{one.pk}/" in html and f"/events/complaints/{two.pk}/" not in html
    html = client.get("/events/feedback/?classification=pending").content.decode()
    assert "No feedback to show." in html
