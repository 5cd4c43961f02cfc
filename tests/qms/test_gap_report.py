"""The gap report: each kind of gap, the page, the PDF and the API; constant queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.documents.models import Document, DocumentType
from openqms.qms import gaps
from openqms.qms.models import Clause, Process, ScopeExclusion, ScopeState, ScopeVersion

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


@pytest.mark.verifies("QMS-021")
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


@pytest.mark.verifies("QMS-021")
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
    gaps = ("no_procedure", "overdue_reviews", "unjustified", "no_process", "scope_unjustified")
    assert report["total"] == sum(len(report[k]) for k in gaps)
    assert report["scope_excluded"] == []  # no scope in force here


def _scope(cast, number, state, exclusions):
    scope = ScopeVersion.objects.create(
        number=number,
        state=state,
        statement="s",
        created_by=cast.qa_lead,
        created_at=timezone.now(),
    )
    for i, (clause, kind, why) in enumerate(exclusions):
        ScopeExclusion.objects.create(
            scope=scope, clause=clause, kind=kind, what="w", justification=why, position=i
        )
    return scope


@pytest.mark.verifies("QMS-021")
def test_the_scope_in_force_decides_what_is_excluded_not_an_old_version(cast):
    _scope(cast, 1, ScopeState.SUPERSEDED, [("8.2.4", "excluded", "Old reason")])
    _scope(
        cast,
        2,
        ScopeState.IN_FORCE,
        [
            ("7.5.7", "not_applicable", "No device is supplied sterile."),
            ("7.5.9", "not_applicable", "No implantable devices."),  # covers 7.5.9.x
            ("7.5.3", "excluded", "  "),  # no justification: a gap of its own
        ],
    )
    report = gaps.build()
    excluded = {e.number: e for e in report.scope_excluded}
    assert set(excluded) == {"7.5.7", "7.5.9.1", "7.5.9.2"}
    assert excluded["7.5.7"].scope == 2
    assert excluded["7.5.7"].justification == "No device is supplied sterile."
    assert excluded["7.5.7"].kind == "not applicable"
    assert _numbers(report.scope_unjustified) == {"7.5.3"}
    others = _numbers(report.no_process) | _numbers(report.no_procedure)
    assert {"7.5.7", "7.5.9.1", "7.5.9.2", "7.5.3"}.isdisjoint(others)
    assert "8.2.4" in others  # excluded only by the superseded version
    assert report.total == (
        len(report.no_procedure)
        + len(report.overdue_reviews)
        + len(report.unjustified)
        + len(report.no_process)
        + 1
    )


def test_the_exclusions_cost_one_query_whatever_their_number(cast, django_assert_num_queries):
    scope = _scope(cast, 1, ScopeState.IN_FORCE, [("7.5.7", "not_applicable", "Not sterile")])
    with CaptureQueriesContext(connection) as few:
        gaps.build()
    for i, clause in enumerate(["7.5.5", "7.5.3", "7.5.4", "7.5.9", "6.4"], start=1):
        ScopeExclusion.objects.create(
            scope=scope, clause=clause, kind="excluded", what="w", justification="j", position=i
        )
    with django_assert_num_queries(len(few)):
        gaps.build()


def test_the_pages_and_the_pdf_show_the_scope_exclusions(cast, signed_in):
    _scope(cast, 3, ScopeState.IN_FORCE, [("7.5.7", "not_applicable", "Nothing sterile here.")])
    client = signed_in(cast.trainee)
    page = client.get("/qms/gaps/").content.decode()
    assert "Excluded by the scope in force (with justification)" in page
    assert "Nothing sterile here." in page and "by scope version 3" in page
    clause = client.get("/qms/clauses/7.5.7/").content.decode()
    assert "Excluded by scope version 3 (not applicable): Nothing sterile here." in clause
    listing = client.get("/qms/clauses/").content.decode()
    assert "not applicable by scope version 3" in listing
    pdf = client.get("/qms/gaps/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_pdf_says_gaps_in_plain_english_and_its_footer_fits_the_page(cast, monkeypatch):
    from pypdf import PdfReader

    from openqms.core import pdf as core_pdf
    from openqms.qms.pdf import plural, render_gap_report

    monkeypatch.setattr(core_pdf, "is_demo_database", lambda: True)  # the longest note

    assert plural(1, "gap") == "1 gap" and plural(99, "gap") == "99 gaps"
    pdf = render_gap_report(gaps.build(), generated_by=cast.qa_lead)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "gap(s)" not in text and " gaps on " in text
    assert "DEMO INSTANCE" in text
    assert "uncontrolled when printed" in text  # the whole note, wrapped, not cut
