"""The CAPA pages: the list (filters, a constant number of queries), a CAPA's page with
its steps, raising one from another record, forms that show their errors and keep what
was typed, signing on the page; someone with no role meets 404 everywhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.core.links import key_of
from openqms.core.models import RecordLink
from openqms.core.signatures import content_hash
from openqms.events.models import Capa
from openqms.testing import PASSWORD, event_count

from .capa_helpers import in_check, investigated, judged, raised, with_action
from .complaints_setup import open_complaint


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_capas(cast, signed_in):
    client = signed_in(cast.auditor)
    urls = ["/events/capas/", "/events/capas/?state=open&overdue=on", "/events/capas/?q=CAPA"]
    for n in range(2):
        with_action(cast, raised(cast, title=f"CAPA {n}"))
    few = [_queries(client, u) for u in urls]
    for n in range(2, 30):
        with_action(cast, raised(cast, title=f"CAPA {n}"))
    many = [_queries(client, u) for u in urls]
    assert few == many


@pytest.mark.verifies("EVT-045")
def test_the_list_filters_by_state(cast, signed_in):
    raised(cast, title="Still open")
    client = signed_in(cast.auditor)
    body = client.get("/events/capas/?state=closed").content.decode()
    assert "Still open" not in body
    assert "Still open" in client.get("/events/capas/?state=open").content.decode()


@pytest.mark.verifies("EVT-038", refusal=True)
def test_someone_with_no_role_meets_404_on_every_capa_page(cast, signed_in):
    capa = raised(cast)
    client = signed_in(cast.outsider)
    for url in ("/events/capas/", "/events/capas/new/", f"/events/capas/{capa.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/events/capas/{capa.pk}/analysis/", {}).status_code == 404


@pytest.mark.verifies("EVT-032")
def test_a_capa_raised_from_a_record_on_the_page_is_linked_to_it(cast, device, signed_in):
    source = open_complaint(cast, device)
    key = "{}:{}".format(*key_of(source))
    client = signed_in(cast.author)
    url = f"{reverse('events:capa-create')}?from={key}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "From the page", "capa_type": "corrective", "problem": "P", "from": key}
    )
    made = Capa.objects.get(title="From the page")
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    assert RecordLink.objects.filter(kind="raised", to_id=str(made.pk)).exists()


@pytest.mark.verifies("EVT-032")
def test_the_raise_form_shows_its_errors_and_keeps_what_was_typed(cast, signed_in):
    client = signed_in(cast.author)
    before = event_count()
    response = client.post(
        "/events/capas/new/", {"title": "Kept title", "capa_type": "corrective", "problem": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept title" in body and "This field is required" in body
    assert event_count() == before


@pytest.mark.verifies("EVT-032")
def test_a_refused_analysis_shows_the_page_again_with_what_was_typed(cast, signed_in):
    capa = raised(cast)
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post(
        f"/events/capas/{capa.pk}/analysis/",
        {"why_1": "Typed why", "root_cause": "Typed cause"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Typed why" in body and "Choose at least one cause category" in body
    assert event_count() == before


@pytest.mark.verifies("EVT-033")
def test_the_page_shows_the_next_step_and_takes_it(cast, signed_in):
    capa = raised(cast)
    client = signed_in(cast.qa_lead)
    page = client.get(f"/events/capas/{capa.pk}/").content.decode()
    assert "Start the investigation" in page and "Linked records" in page
    response = client.post(f"/events/capas/{capa.pk}/steps/investigate/")
    assert response.status_code == 302
    assert Capa.objects.get(pk=capa.pk).state == "investigating"


@pytest.mark.verifies("EVT-034")
def test_the_effectiveness_is_signed_on_the_page_by_someone_else(cast, signed_in):
    capa = in_check(cast)
    client = signed_in(cast.manager)
    page = client.get(f"/events/capas/{capa.pk}/").content.decode()
    assert "Sign the effectiveness result" in page
    client.post(
        f"/events/capas/{capa.pk}/effectiveness/",
        {
            "password": PASSWORD,
            "content_hash": content_hash(capa.signature_content()),
            "result": "effective",
            "evidence": "No complaints in 60 days.",
        },
    )
    assert Capa.objects.get(pk=capa.pk).effectiveness == "effective"


@pytest.mark.verifies("EVT-035")
def test_the_closure_is_signed_on_the_page(cast, signed_in):
    capa = judged(cast, in_check(cast))
    client = signed_in(cast.qa_lead)
    assert "Close the CAPA" in client.get(f"/events/capas/{capa.pk}/").content.decode()
    client.post(
        f"/events/capas/{capa.pk}/steps/close/",
        {"password": PASSWORD, "content_hash": content_hash(capa.signature_content())},
    )
    assert Capa.objects.get(pk=capa.pk).state == "closed"
    page = client.get(f"/events/capas/{capa.pk}/").content.decode()
    assert "CAPA closed" in page


@pytest.mark.verifies("EVT-032")
def test_a_refused_action_done_shows_the_page_again_with_the_evidence_typed(cast, signed_in):
    capa = investigated(cast)
    task = with_action(cast, capa)
    client = signed_in(cast.author)
    before = event_count()
    typed = "Typed evidence " + "x" * 10_000  # longer than evidence may be
    response = client.post(f"/events/capas/{capa.pk}/actions/{task.pk}/done/", {"evidence": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert typed in body and "evidence" in body
    assert event_count() == before
