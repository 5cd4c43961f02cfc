"""The FSCA pages: the list (constant queries, filters, urgent in red), a new FSCA raised
from another record, the record page with its steps, refusals shown as messages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.events.actions import fsca as actions
from openqms.events.models import Fsca
from openqms.testing import event_count

from .complaints_setup import open_complaint
from .fsca_setup import open_one, started


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_at_2_or_12_rows(cast, class_i_device, signed_in):
    client = signed_in(cast.auditor)
    for _ in range(2):
        started(cast, class_i_device)
    few = _queries(client, "/events/fscas/")
    for _ in range(10):
        open_one(cast, class_i_device, urgent=True, justification="Now.")
    assert _queries(client, "/events/fscas/") == few


@pytest.mark.verifies("EVT-045")
def test_the_list_flags_urgent_fscas_and_filters_them(cast, class_i_device, signed_in):
    calm = open_one(cast, class_i_device)
    urgent = open_one(cast, class_i_device, urgent=True, justification="Now.")
    page = signed_in(cast.auditor).get("/events/fscas/?urgent=on").content.decode()
    assert urgent.number in page and 'class="badge bad">urgent' in page
    assert calm.number not in page


@pytest.mark.verifies("EVT-015")
def test_a_new_fsca_from_the_page_is_linked_to_where_it_came_from(cast, class_i_device, signed_in):
    source = open_complaint(cast, class_i_device)
    client = signed_in(cast.qa_lead)
    url = f"/events/fscas/new/?from=events.complaint:{source.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Second recall",
            "scope": "gb",
            "reason": "Why",
            "user_actions": "Return it",
            "device": class_i_device.pk,
            "identifiers": "Lot 2",
            "from": f"events.complaint:{source.pk}",
        },
    )
    made = Fsca.objects.get(title="Second recall")
    assert response.status_code == 302 and response.url == f"/events/fscas/{made.pk}/"
    page = client.get(response.url).content.decode()
    assert source.number in page


@pytest.mark.verifies("EVT-015")
def test_an_urgent_fsca_without_a_justification_keeps_what_was_typed(
    cast, class_i_device, signed_in
):
    client = signed_in(cast.qa_lead)
    count = event_count()
    page = client.post(
        "/events/fscas/new/",
        {"title": "Kept title", "scope": "gb", "reason": "R", "user_actions": "U", "urgent": "on"},
    ).content.decode()
    assert "Kept title" in page and "urgency justification" in page
    assert event_count() == count


@pytest.mark.verifies("EVT-016")
def test_the_start_refused_on_the_page_is_explained(cast, class_i_device, signed_in):
    fsca = open_one(cast, class_i_device)
    client = signed_in(cast.qa_lead)
    page = client.get(f"/events/fscas/{fsca.pk}/").content.decode()
    assert "The MHRA must be told before the FSCA is carried out" in page
    assert "Gap: UK Responsible Person" in page
    response = client.post(f"/events/fscas/{fsca.pk}/start/", {}, follow=True)
    assert "The MHRA must be told" in response.content.decode()
    fsca.refresh_from_db()
    assert fsca.state == "planned"


@pytest.mark.verifies("EVT-016", "EVT-018")
def test_each_step_posts_from_the_page(cast, class_i_device, signed_in):
    fsca = open_one(cast, class_i_device)
    client = signed_in(cast.qa_lead)
    base = f"/events/fscas/{fsca.pk}"
    client.post(f"{base}/mhra/", {"notified_at": "2026-03-02T10:00", "mhra_reference": "M-1"})
    client.post(f"{base}/start/", {"started_at": "2026-03-03T10:00"})
    client.post(
        f"{base}/reconcile/",
        {"market": fsca.markets.get().pk, "reached_on": "2026-03-04", "units_reached": "400"},
    )
    fsca.refresh_from_db()
    assert fsca.state == "in_progress"
    page = client.get(f"{base}/").content.decode()
    assert "Reconciliation: 80% reached" in page and "Sign the closure" in page


@pytest.mark.verifies("EVT-016")
def test_the_page_shows_an_urgent_fscas_late_notification(cast, class_i_device, signed_in):
    fsca = open_one(cast, class_i_device, urgent=True, justification="Burns.")
    actions.start_fsca(
        actor=cast.qa_lead, fsca=fsca, started_at=dt.datetime(2026, 3, 3, 8, tzinfo=dt.UTC)
    )
    page = signed_in(cast.auditor).get(f"/events/fscas/{fsca.pk}/").content.decode()
    assert "before the MHRA was told: record the MHRA notification now" in page


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_meets_404_on_every_fsca_page(cast, class_i_device, signed_in):
    fsca = open_one(cast, class_i_device)
    client = signed_in(cast.outsider)
    for url in ("/events/fscas/", "/events/fscas/new/", f"/events/fscas/{fsca.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/events/fscas/{fsca.pk}/start/").status_code == 404


@pytest.mark.verifies("EVT-018")
def test_a_refused_step_comes_back_with_what_was_typed(cast, class_i_device, signed_in):
    fsca = started(cast, class_i_device)
    count = event_count()
    response = signed_in(cast.qa_lead).post(
        f"/events/fscas/{fsca.pk}/reconcile/",
        {
            "market": fsca.markets.get().pk,
            "reached_on": "2026-03-04",
            "units_reached": "501",
            "note": "Typed note",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 500 more" in page and 'value="501"' in page and "Typed note" in page
    assert event_count() == count
