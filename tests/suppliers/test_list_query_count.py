"""The supplier and outsourced-process lists cost the same queries at 2 or 30 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.suppliers import actions

from .conftest import supplier_fields


def _add(cast, start, count):
    for n in range(start, start + count):
        s = actions.create_supplier(actor=cast.qa_lead, **supplier_fields(name=f"Supplier {n:03}"))
        actions.create_outsourced_process(actor=cast.qa_lead, partner=s, title=f"Work {n:03}")


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.verifies("SUP-027")
def test_the_lists_cost_the_same_queries_however_many_rows(cast, signed_in):
    client = signed_in(cast.auditor)
    _add(cast, 0, 2)
    few = [_queries(client, u) for u in ("/suppliers/?status=new", "/suppliers/outsourced/")]
    _add(cast, 2, 28)
    many = [_queries(client, u) for u in ("/suppliers/?status=new", "/suppliers/outsourced/")]
    assert few == many
