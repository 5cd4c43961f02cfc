"""Nonconformity pages: the list filters and pages, raising one (from another record),
the steps offered to who may take them, errors shown again with what was typed, signing
from the page, and the FSCA prompt when delivered devices are affected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.signatures import content_hash
from openqms.events.models import Nonconformity
from openqms.testing import PASSWORD, event_count

from .complaints_setup import open_complaint
from .nc_steps import assessed, disposed, make_supplier, raised


@pytest.mark.verifies("EVT-025")
def test_an_author_raises_a_nonconformity_from_the_page(cast, signed_in):
    client = signed_in(cast.author)
    assert client.get("/events/nonconformities/new/").status_code == 200
    response = client.post(
        "/events/nonconformities/new/",
        {
            "title": "Label misprint",
            "source": "production",
            "description": "Wrong UDI on 12 labels.",
            "requirement": "Label spec LBL-001.",
        },
    )
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and response.url == f"/events/nonconformities/{nc.pk}/"


@pytest.mark.verifies("EVT-025")
def test_a_bad_form_is_shown_again_with_what_was_typed(cast, signed_in):
    client = signed_in(cast.author)
    before = event_count()
    response = client.post(
        "/events/nonconformities/new/",
        {
            "title": "Adhesive lot",
            "source": "incoming_goods",
            "description": "Weak.",
            "requirement": "Spec.",
        },
    )
    assert response.status_code == 200
    assert b"Name the supplier" in response.content and b"Adhesive lot" in response.content
    assert event_count() == before


@pytest.mark.verifies("EVT-025")
def test_a_nonconformity_raised_from_a_record_carries_the_link(cast, device, signed_in):
    first = open_complaint(cast, device)
    client = signed_in(cast.author)
    key = f"events.complaint:{first.pk}"
    page = client.get(f"/events/nonconformities/new/?from={key}")
    assert first.number.encode() in page.content  # named, not shown as a key
    assert b"It will be linked to the record it is raised from" in page.content
    client.post(
        "/events/nonconformities/new/",
        {
            "title": "Second",
            "source": "process",
            "description": "x",
            "requirement": "y",
            "from": key,
        },
    )
    second = Nonconformity.objects.get()
    assert first.number.encode() in client.get(f"/events/nonconformities/{second.pk}/").content


@pytest.mark.verifies("EVT-026")
def test_containment_is_recorded_from_the_page_and_errors_keep_the_input(cast, signed_in):
    nc = raised(cast)
    client = signed_in(cast.qa_lead)
    page = client.get(f"/events/nonconformities/{nc.pk}/")
    assert b"Record containment" in page.content
    bad = client.post(
        f"/events/nonconformities/{nc.pk}/contain/",
        {"containment": "Typed text", "contained_at": "soon"},
    )
    assert bad.status_code == 400 and b"Typed text" in bad.content
    done = client.post(f"/events/nonconformities/{nc.pk}/contain/", {"containment": "Quarantined."})
    assert done.status_code == 302
    nc.refresh_from_db()
    assert nc.state == "contained"


@pytest.mark.verifies("EVT-026")
def test_the_page_prompts_an_fsca_when_delivered_devices_are_affected(cast, signed_in):
    nc = assessed(cast, delivered=True)
    page = signed_in(cast.qa_lead).get(f"/events/nonconformities/{nc.pk}/")
    assert b"Devices already delivered are affected" in page.content


@pytest.mark.verifies("EVT-028")
def test_the_release_is_signed_from_the_page(cast, signed_in):
    nc = disposed(cast, "scrap")
    client = signed_in(cast.qa_lead)
    page = client.get(f"/events/nonconformities/{nc.pk}/")
    hash_ = page.context["nc"].signature_content()
    response = client.post(
        f"/events/nonconformities/{nc.pk}/sign/release/",
        {"password": PASSWORD, "content_hash": content_hash(hash_), "reason": ""},
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.state == "closed"


@pytest.mark.verifies("EVT-038", refusal=True)
def test_a_reader_sees_no_steps_and_an_outsider_meets_404(cast, signed_in):
    nc = raised(cast)
    page = signed_in(cast.auditor).get(f"/events/nonconformities/{nc.pk}/")
    assert page.status_code == 200 and b"Record containment" not in page.content
    outsider = signed_in(cast.outsider)
    assert outsider.get(f"/events/nonconformities/{nc.pk}/").status_code == 404
    assert outsider.get("/events/nonconformities/").status_code == 404


@pytest.mark.verifies("EVT-045")
def test_the_list_filters_by_source_state_and_supplier(cast, signed_in):
    supplier = make_supplier(cast)
    mine = raised(cast, supplier=supplier)
    other = raised(cast, title="Process drift", source="process")
    client = signed_in(cast.auditor)
    found = client.get(f"/events/nonconformities/?supplier={supplier.pk}").context["rows"]
    assert found == [mine]
    assert client.get("/events/nonconformities/?source=process").context["rows"] == [other]
    assert len(client.get("/events/nonconformities/?state=open").context["rows"]) == 2
    assert client.get("/events/nonconformities/?state=closed").context["rows"] == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_rows(cast, signed_in):
    supplier = make_supplier(cast)
    client = signed_in(cast.auditor)
    for n in range(2):
        raised(cast, supplier=supplier, title=f"NC {n}")
    few = _queries(client, "/events/nonconformities/")
    for n in range(2, 20):
        raised(cast, supplier=supplier, title=f"NC {n}")
    assert _queries(client, "/events/nonconformities/") == few


def test_the_list_costs_the_same_queries_with_devices_on_the_rows(
    cast, signed_in, device, class_i_device
):
    client = signed_in(cast.auditor)
    for n in range(2):
        raised(cast, title=f"NC {n}", device=device.pk)
    few = _queries(client, "/events/nonconformities/")
    for n in range(2, 20):
        raised(cast, title=f"NC {n}", device=(device, class_i_device)[n % 2].pk)
    page = client.get("/events/nonconformities/")
    assert str(class_i_device).encode() in page.content
    assert _queries(client, "/events/nonconformities/") == few


def test_a_step_refused_for_its_state_is_a_message_not_the_form_again(cast, signed_in):
    nc = disposed(cast, "scrap")
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post(
        f"/events/nonconformities/{nc.pk}/contain/", {"containment": "Again."}, follow=True
    )
    assert response.redirect_chain == [(f"/events/nonconformities/{nc.pk}/", 302)]
    assert "cannot be done while the record is disposed of" in response.content.decode()
    nc.refresh_from_db()
    assert nc.state == "disposed" and event_count() == before


def test_a_step_refused_for_permission_is_a_message_and_a_redirect(cast, signed_in):
    nc = raised(cast)
    before = event_count()
    response = signed_in(cast.auditor).post(
        f"/events/nonconformities/{nc.pk}/contain/", {"containment": "Held."}
    )
    assert response.status_code == 302 and event_count() == before


@pytest.mark.verifies("EVT-026")
def test_the_disposition_is_changed_from_the_page_with_a_reason(cast, signed_in):
    nc = disposed(cast, "use_as_is")
    client = signed_in(cast.qa_lead)
    assert b"Change the disposition" in client.get(f"/events/nonconformities/{nc.pk}/").content
    bad = client.post(f"/events/nonconformities/{nc.pk}/change_disposition/", {"reason": ""})
    assert bad.status_code == 400
    done = client.post(
        f"/events/nonconformities/{nc.pk}/change_disposition/", {"reason": "Refused."}
    )
    assert done.status_code == 302
    nc.refresh_from_db()
    assert nc.state == "assessed"


def test_the_export_and_pdf_say_yes_no_and_who_did_what(cast):
    nc = disposed(cast, "scrap")
    assert nc.export_row()["delivered_affected"] == "no"
    facts = dict(row for _title, rows in nc.pdf_sections() for row in rows)
    assert facts["Contained by"].startswith(cast.qa_lead.full_name)
    assert facts["Disposed of by"].startswith(cast.qa_lead.full_name)
    assert facts["Released by"] == "not yet"
