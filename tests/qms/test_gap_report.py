"""The gap report: each kind of gap, the page, the PDF and the API; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.documents.models import Document, DocumentType
from openqms.qms import gaps
from openqms.qms.models import Clause, Process

TODAY = timezone.localdate()


@pytest.fixture
def doc_type(db):
    return DocumentType.objects.get(code="procedure")


def _document(cast, doc_type, number, clauses, **more):
    values = {
        "title": f"Doc {number}",
        "doc_type": doc_type,
        "owner": cast.qa_lead,
        "clauses": clauses,
        "created_at": timezone.now(),
        "in_force": True,
    }
    return Document.objects.create(number=number, **{**values, **more})


def _process(cast, code, clauses=(), documents=()):
    process = Process.objects.create(
        code=code, name=code, owner=cast.qa_lead, purpose="p", created_at=timezone.now()
    )
    process.clauses.set(Clause.objects.filter(number__in=clauses))
    process.documents.set(documents)
    return process


def _numbers(rows):
    return {r.number for r in rows}


def test_a_clause_needing_a_procedure_is_a_gap_until_a_document_in_force_serves_it(cast, doc_type):
    assert "4.2.4" in _numbers(gaps.build().no_procedure)
    _document(cast, doc_type, "SOP-001", ["4.2.4"], in_force=False)  # a draft does not count
    assert "4.2.4" in _numbers(gaps.build().no_procedure)
    _document(cast, doc_type, "SOP-002", ["4.2"])  # a parent clause serves its children
    report = gaps.build()
    assert {"4.2.4", "4.2.5"}.isdisjoint(_numbers(report.no_procedure))
    assert "5.3" not in _numbers(report.no_procedure)  # no procedure required there


def test_a_document_serving_a_mapped_process_covers_the_clause(cast, doc_type):
    sop = _document(cast, doc_type, "SOP-010", [])
    _process(cast, "P-AUD", clauses=["8.2.4"], documents=[sop])
    report = gaps.build()
    assert "8.2.4" not in _numbers(report.no_procedure)
    assert "8.2.4" not in _numbers(report.no_process)
    assert "8.2.2" in _numbers(report.no_process)


def test_documents_in_force_past_their_review_are_listed(cast, doc_type):
    _document(cast, doc_type, "SOP-001", [], next_review=TODAY - dt.timedelta(days=10))
    _document(cast, doc_type, "SOP-002", [], next_review=TODAY + dt.timedelta(days=10))
    _document(
        cast,
        doc_type,
        "SOP-003",
        [],
        next_review=TODAY - dt.timedelta(days=9),
        withdrawn_at=timezone.now(),
        in_force=False,
    )
    [overdue] = gaps.build().overdue_reviews
    assert (overdue.number, overdue.days_over) == ("SOP-001", 10)


def test_a_clause_not_applicable_needs_a_justification_and_is_no_other_gap(db):
    Clause.objects.filter(number="7.5.7").update(applicable=False)
    Clause.objects.filter(number="7.5.5").update(applicable=False, justification="Not sterile")
    report = gaps.build()
    assert _numbers(report.unjustified) == {"7.5.7"}
    assert {"7.5.7", "7.5.5"}.isdisjoint(
        _numbers(report.no_process) | _numbers(report.no_procedure)
    )


def test_the_report_runs_the_same_queries_at_any_size(cast, doc_type, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        gaps.build()
    for i in range(30):
        sop = _document(cast, doc_type, f"SOP-{i:03}", ["7.3"], next_review=TODAY)
        _process(cast, f"P-{i}", clauses=["7.3.1", "7.3.9"], documents=[sop])
    with django_assert_num_queries(len(few)):
        gaps.build()


def test_the_page_and_the_pdf_show_the_gaps_to_anyone_signed_in(cast, doc_type, signed_in):
    _document(cast, doc_type, "SOP-001", [], next_review=TODAY - dt.timedelta(days=3))
    client = signed_in(cast.trainee)
    page = client.get("/qms/gaps/").content.decode()
    assert "SOP-001" in page and "4.2.4" in page and "Download as PDF" in page
    pdf = client.get("/qms/gaps/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_the_gap_report_is_not_for_anonymous_visitors(client, db):
    assert client.get("/qms/gaps/").status_code in (302, 404)


def test_the_api_gives_the_report_as_json(client, cast):
    token = core_actions.create_api_token(actor=cast.trainee, user=cast.trainee, name="t")[1]
    report = client.get("/api/v1/qms/gaps", headers={"Authorization": f"Bearer {token}"}).json()
    assert report["clauses"] == Clause.objects.count()
    assert "4.2.4" in {c["number"] for c in report["no_procedure"]}
    assert report["total"] == sum(
        len(report[k]) for k in ("no_procedure", "overdue_reviews", "unjustified", "no_process")
    )
