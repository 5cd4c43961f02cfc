"""The ISO 13485 clause map: shipped by the migration, edited (audited) on the page and
over the API."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.documents.models import Document, DocumentType
from openqms.qms.actions.clauses import edit_clause
from openqms.qms.data.clauses import CLAUSES
from openqms.qms.models import Clause, Process
from openqms.testing import changes_of, event_count, last_event


def _process(cast, code, **more):
    return Process.objects.create(
        code=code,
        name=f"Process {code}",
        owner=cast.qa_lead,
        purpose="p",
        created_at=timezone.now(),
        **more,
    )


def _edit(cast, clause, actor=None, **changes):
    values = {
        "title": clause.title,
        "applicable": clause.applicable,
        "justification": clause.justification,
        "notes": clause.notes,
        "records": clause.records,
        "processes": list(clause.processes.all()),
    }
    return edit_clause(actor=actor or cast.qa_lead, clause=clause, **{**values, **changes})


@pytest.mark.verifies("QMS-020")
def test_the_migration_ships_the_clauses_with_the_procedures_marked(db):
    assert Clause.objects.count() == len(CLAUSES) > 60
    numbers = list(Clause.objects.values_list("number", flat=True))
    assert numbers[0] == "4.1.1" and numbers.index("7.3.10") > numbers.index("7.3.9")
    required = set(Clause.objects.filter(needs_procedure=True).values_list("number", flat=True))
    assert {"4.2.4", "4.2.5", "5.6.1", "7.3.9", "8.2.2", "8.2.4", "8.5.2"} <= required
    assert "5.3" not in required


@pytest.mark.verifies("QMS-020")
def test_an_edit_records_old_and_new_values(cast):
    clause = Clause.objects.get(number="7.5.7")
    design = _process(cast, "P-07")
    _edit(
        cast,
        clause,
        applicable=False,
        justification="No sterile devices",
        records=["Sterilisation records", " ", "Sterilisation records"],
        processes=[design],
    )
    clause.refresh_from_db()
    assert clause.records == ["Sterilisation records"]
    event = last_event()
    assert (event.action, event.object_type) == ("qms.clause.edited", "qms.clause")
    assert changes_of(event) == {
        "applicable": [True, False],
        "justification": ["", "No sterile devices"],
        "records": [[], ["Sterilisation records"]],
        "processes": [[], ["P-07"]],
    }


def test_an_edit_that_changes_nothing_writes_no_event(cast):
    clause = Clause.objects.get(number="4.2.4")
    before = event_count()
    _edit(cast, clause)
    assert event_count() == before


@pytest.mark.parametrize(
    "changes",
    [{"title": " "}, {"title": "x\x00"}, {"records": ["r"] * 51}, {"justification": "j" * 2001}],
)
def test_bad_input_changes_nothing(cast, changes):
    clause = Clause.objects.get(number="4.2.4")
    before = event_count()
    with pytest.raises(InvalidInput):
        _edit(cast, clause, **changes)
    assert Clause.objects.get(pk=clause.pk).title == clause.title
    assert event_count() == before


def test_a_retired_process_cannot_be_mapped(cast):
    retired = _process(cast, "OLD", retired_at=timezone.now())
    clause = Clause.objects.get(number="4.2.4")
    before = event_count()
    with pytest.raises(InvalidInput):
        _edit(cast, clause, processes=[retired])
    assert not clause.processes.exists() and event_count() == before


@pytest.mark.verifies("QMS-020")
def test_only_clause_keepers_edit_the_map(cast, signed_in):
    clause = Clause.objects.get(number="4.2.4")
    before = event_count()
    with pytest.raises(PermissionRefused):
        _edit(cast, clause, actor=cast.author, title="Mine")
    client = signed_in(cast.author)
    assert client.get("/qms/clauses/4.2.4/edit/").status_code == 404
    assert client.post("/qms/clauses/4.2.4/edit/", {"title": "Mine"}).status_code == 404
    assert Clause.objects.get(pk=clause.pk).title == clause.title and event_count() == before


def test_the_map_page_shows_processes_and_documents_in_constant_queries(cast, signed_in):
    client = signed_in(cast.trainee)
    client.get("/qms/clauses/")
    with CaptureQueriesContext(connection) as few:
        page = client.get("/qms/clauses/").content.decode()
    assert "4.2.4" in page and "required" in page
    doc_type = DocumentType.objects.get(code="procedure")
    for i in range(10):
        p = _process(cast, f"P-{i}")
        p.clauses.add(*Clause.objects.all()[:5])
        Document.objects.create(
            number=f"SOP-{i:03}",
            title="Control",
            doc_type=doc_type,
            owner=cast.qa_lead,
            clauses=["4.2"],
            created_at=timezone.now(),
            in_force=True,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/qms/clauses/").content.decode()
    assert len(many) == len(few)
    assert "P-9" in page


def test_the_clause_page_lists_its_coverage_and_the_edit_form_saves(cast, signed_in):
    doc_type = DocumentType.objects.get(code="procedure")
    Document.objects.create(
        number="SOP-001",
        title="Document control",
        doc_type=doc_type,
        owner=cast.qa_lead,
        clauses=["4.2.4"],
        created_at=timezone.now(),
        in_force=True,
    )
    process = _process(cast, "P-01")
    client = signed_in(cast.qa_lead)
    assert "SOP-001 Document control" in client.get("/qms/clauses/4.2.4/").content.decode()
    form = {
        "title": "Documents",
        "applicable": "on",
        "processes": [process.pk],
        "records": "Document register\nChange requests",
        "justification": "",
        "notes": "",
    }
    response = client.post("/qms/clauses/4.2.4/edit/", form)
    assert response.url == "/qms/clauses/4.2.4/"
    clause = Clause.objects.get(number="4.2.4")
    assert clause.records == ["Document register", "Change requests"]
    assert list(clause.processes.all()) == [process]


def test_the_api_lists_and_edits_clauses(client, cast):
    process = _process(cast, "P-01")
    token = core_actions.create_api_token(actor=cast.qa_lead, user=cast.qa_lead, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/qms/clauses", headers=headers).json()
    assert len(listed) == len(CLAUSES)
    body = {"title": "Records", "applicable": True, "processes": ["P-01"], "records": ["Log"]}
    edited = client.put(
        "/api/v1/qms/clauses/4.2.5", json.dumps(body), "application/json", headers=headers
    )
    assert edited.json()["processes"] == ["P-01"] and edited.json()["records"] == ["Log"]
    assert list(Clause.objects.get(number="4.2.5").processes.all()) == [process]
    before = event_count()
    bad = client.put(
        "/api/v1/qms/clauses/4.2.5",
        json.dumps({**body, "processes": ["NOPE"]}),
        "application/json",
        headers=headers,
    )
    assert (bad.status_code, bad.json()["fields"]) == (422, {"processes": "Unknown."})
    assert client.get("/api/v1/qms/clauses/9.9", headers=headers).status_code == 404
    assert event_count() == before
