"""The register's pages: everyone signed in reads, process managers change, lists are
paged with a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.qms.actions.processes import retire_process
from openqms.qms.models import Process
from openqms.testing import event_count

from .process_helpers import KPI, draft_document, make_effective, make_process


def test_everyone_signed_in_reads_the_register_and_a_process(cast, signed_in):
    process = make_process(cast, kpis=[KPI("Reviews on time", "100%")])
    client = signed_in(cast.trainee)
    listed = client.get(reverse("qms:processes"))
    assert listed.status_code == 200
    assert "PR-01" in listed.content.decode()
    assert "Add a process" not in listed.content.decode()
    page = client.get(reverse("qms:process", args=[process.pk])).content.decode()
    assert "Reviews on time" in page and "Keep documents under control." in page
    assert reverse("qms:process-edit", args=[process.pk]) not in page


def test_the_detail_page_shows_links_and_documents_with_their_revision_in_force(cast, signed_in):
    revision = make_effective(cast, draft_document(cast))
    capa = make_process(cast, "PR-08", "CAPA")
    process = make_process(cast, feeds=[capa], documents=[revision.document])
    page = signed_in(cast.auditor).get(reverse("qms:process", args=[process.pk])).content.decode()
    assert reverse("qms:process", args=[capa.pk]) in page
    assert revision.document.number in page and "in force since" in page
    fed = signed_in(cast.auditor).get(reverse("qms:process", args=[capa.pk])).content.decode()
    assert "Fed by" in fed and reverse("qms:process", args=[process.pk]) in fed


def test_a_process_manager_adds_a_process_from_the_page(cast, signed_in):
    make_process(cast, "PR-02", "CAPA")
    response = signed_in(cast.qa_lead).post(
        reverse("qms:process-create"),
        {
            "code": "PR-05",
            "name": "Purchasing",
            "owner": cast.author.username,
            "purpose": "Buy well.",
            "feeds": ["PR-02"],
            "risk": "high",
            "kpis": "Suppliers evaluated | 100% | Supplier list | Yearly",
        },
    )
    process = Process.objects.get(code="PR-05")
    assert response.status_code == 302
    assert response["Location"] == reverse("qms:process", args=[process.pk])
    assert [p.code for p in process.feeds.all()] == ["PR-02"]
    assert [k.target for k in process.kpis.all()] == ["100%"]


def test_a_bad_form_names_the_field_and_writes_nothing(cast, signed_in):
    make_process(cast)
    before = event_count()
    response = signed_in(cast.qa_lead).post(
        reverse("qms:process-create"),
        {"code": "PR-01", "name": "Again", "owner": "qa-lead", "purpose": "X", "risk": "low"},
    )
    assert response.status_code == 200
    assert "Another process has the code PR-01." in response.content.decode()
    assert event_count() == before


def test_the_edit_page_changes_the_process(cast, signed_in):
    process = make_process(cast)
    client = signed_in(cast.qa_lead)
    form = client.get(reverse("qms:process-edit", args=[process.pk]))
    assert 'value="PR-01"' in form.content.decode()
    response = client.post(
        reverse("qms:process-edit", args=[process.pk]),
        {
            "code": "PR-01",
            "name": "Document and record control",
            "owner": "qa-lead",
            "purpose": "Keep documents under control.",
            "risk": "medium",
            "reason": "Records too",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.name == "Document and record control"


@pytest.mark.parametrize("who", ["author", "auditor", "outsider"])
def test_people_without_the_permission_meet_a_404_on_changes(cast, signed_in, who):
    process = make_process(cast)
    client = signed_in(getattr(cast, who))
    before = event_count()
    assert client.get(reverse("qms:process-create")).status_code == 404
    assert client.get(reverse("qms:process-edit", args=[process.pk])).status_code == 404
    retire = client.post(reverse("qms:process-retire", args=[process.pk]), {"reason": "x"})
    assert retire.status_code == 404
    assert event_count() == before


def test_a_missing_process_is_a_404(cast, signed_in):
    assert signed_in(cast.qa_lead).get(reverse("qms:process", args=[999])).status_code == 404


def test_retiring_from_the_page_keeps_the_process_readable(cast, signed_in):
    process = make_process(cast)
    client = signed_in(cast.qa_lead)
    client.post(reverse("qms:process-retire", args=[process.pk]), {"reason": "Merged"})
    process.refresh_from_db()
    assert process.retired
    page = client.get(reverse("qms:process", args=[process.pk])).content.decode()
    assert "Merged" in page and "retired" in page
    assert "PR-01" not in client.get(reverse("qms:processes")).content.decode()
    assert "PR-01" in client.get(reverse("qms:processes"), {"retired": "yes"}).content.decode()


def test_the_list_filters_by_owner_risk_and_outsourcing(cast, signed_in):
    make_process(cast, "PR-01", "One", risk="high")
    make_process(cast, "PR-02", "Two", owner=cast.author, outsourced=True)
    client = signed_in(cast.trainee)

    def codes(**query):
        page = client.get(reverse("qms:processes"), query).content.decode()
        return [c for c in ("PR-01", "PR-02") if f">{c}</a>" in page]

    assert codes() == ["PR-01", "PR-02"]
    assert codes(owner="author") == ["PR-02"]
    assert codes(risk="high") == ["PR-01"]
    assert codes(outsourced="yes") == ["PR-02"]
    assert codes(outsourced="no") == ["PR-01"]


def test_the_list_runs_a_constant_number_of_queries(cast, signed_in):
    client = signed_in(cast.trainee)
    make_process(cast, "PR-00", "First")
    client.get(reverse("qms:processes"))  # warm the session and permission caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("qms:processes")).status_code == 200
        return len(queries)

    few = count()
    first = Process.objects.get(code="PR-00")
    for i in range(1, 12):
        make_process(cast, f"PR-{i:02}", f"Process {i}", feeds=[first], owner=cast.author)
    assert count() == few


def test_a_retired_process_leaves_the_pickers(cast, signed_in):
    old = make_process(cast, "PR-09", "Old")
    retire_process(actor=cast.qa_lead, process=old, reason="Gone")
    page = signed_in(cast.qa_lead).get(reverse("qms:process-create")).content.decode()
    assert "PR-09" not in page


def test_an_account_with_no_rights_meets_a_404_everywhere(cast, signed_in):
    process = make_process(cast)
    client = signed_in(cast.outsider)
    for url in (
        reverse("qms:processes"),
        reverse("qms:process", args=[process.pk]),
        reverse("qms:process-map"),
        reverse("qms:process-map-svg"),
    ):
        assert client.get(url).status_code == 404, url
