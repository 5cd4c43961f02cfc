"""The clause-coverage map and its gap report over the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from ninja import Schema
from pydantic import Field

from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.qms import access, gaps
from openqms.qms.actions.clauses import MAX_RECORDS, edit_clause
from openqms.qms.api import router
from openqms.qms.api.certificates import READERS
from openqms.qms.models import Clause, Process

NO_NUL = r"^[^\x00]*$"


class ClauseOut(Schema):
    number: str
    title: str
    needs_procedure: bool
    applicable: bool
    justification: str
    notes: str
    records: list[str]
    processes: list[str] = Field(description="Codes of the processes that address it")
    documents: list[str] = Field(description="Numbers of the documents in force tagged with it")


class ClauseIn(Schema):
    title: str = Field(max_length=200, pattern=NO_NUL)
    applicable: bool = True
    justification: str = Field("", max_length=2000, pattern=NO_NUL)
    notes: str = Field("", max_length=5000, pattern=NO_NUL)
    records: list[str] = Field([], max_length=MAX_RECORDS)
    processes: list[str] = Field([], max_length=500, description="Process codes")


def _clauses_out(clauses: list[Clause]) -> list[dict[str, Any]]:
    documents = gaps.documents_by_clause([c.number for c in clauses])
    return [
        {
            "number": c.number,
            "title": c.title,
            "needs_procedure": c.needs_procedure,
            "applicable": c.applicable,
            "justification": c.justification,
            "notes": c.notes,
            "records": c.records,
            "processes": [p.code for p in c.processes.all()],
            "documents": [number for number, _ in documents.get(c.number, [])],
        }
        for c in clauses
    ]


def _with_processes():
    return Clause.objects.prefetch_related(Prefetch("processes", Process.objects.order_by("code")))


@router.get("/clauses", response=list[ClauseOut], auth=READERS)
def clause_list(request: AuthenticatedHttpRequest):
    """The ISO 13485:2016 clause map (clauses 4 to 8), in the standard's order."""
    access.require_reader(request.user)
    return _clauses_out(list(_with_processes()))


@router.get("/clauses/{number}", response=ClauseOut, auth=READERS)
def clause_read(request: AuthenticatedHttpRequest, number: str):
    clause = access.get_clause_for_user(request.user, number)
    return _clauses_out([_with_processes().get(pk=clause.pk)])[0]


@router.put("/clauses/{number}", response=ClauseOut, auth=READERS)
def clause_edit(request: AuthenticatedHttpRequest, number: str, body: ClauseIn):
    """Title, applicability (with the justification when it does not apply), notes,
    records and the processes that address it; audited with old and new values."""
    clause = access.get_clause_for_user(request.user, number)
    codes = sorted(set(body.processes))
    processes = list(Process.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {p.code for p in processes})
    if unknown:
        raise InvalidInput(
            f"Unknown processes: {', '.join(unknown)}.", fields={"processes": "Unknown."}
        )
    edit_clause(
        actor=request.user,
        clause=clause,
        title=body.title,
        applicable=body.applicable,
        justification=body.justification,
        notes=body.notes,
        records=body.records,
        processes=processes,
    )
    return _clauses_out([_with_processes().get(pk=clause.pk)])[0]


class ClauseGapOut(Schema):
    number: str
    title: str


class OverdueOut(Schema):
    number: str
    title: str
    next_review: str
    days_over: int


class ScopeExcludedOut(Schema):
    number: str
    title: str
    scope: int
    kind: str
    justification: str


class GapReportOut(Schema):
    made_on: str
    clauses: int
    total: int
    no_procedure: list[ClauseGapOut]
    overdue_reviews: list[OverdueOut]
    unjustified: list[ClauseGapOut]
    no_process: list[ClauseGapOut]
    scope_unjustified: list[ScopeExcludedOut] = Field(
        description="Exclusions in the scope in force without a justification (gaps)"
    )
    scope_excluded: list[ScopeExcludedOut] = Field(
        description="Clauses the scope in force excludes, with their justification (not gaps)"
    )


@router.get("/gaps", response=GapReportOut, auth=READERS)
def gap_report(request: AuthenticatedHttpRequest):
    """The gap report: clauses needing a procedure with none in force, documents past
    their periodic review, not-applicable clauses without a justification, and
    applicable clauses no process addresses."""
    access.require_reader(request.user)
    report = gaps.build()
    return {
        "made_on": report.made_on.isoformat(),
        "clauses": report.clauses,
        "total": report.total,
        "no_procedure": [vars(c) for c in report.no_procedure],
        "overdue_reviews": [
            {**vars(r), "next_review": r.next_review.isoformat()} for r in report.overdue_reviews
        ],
        "unjustified": [vars(c) for c in report.unjustified],
        "no_process": [vars(c) for c in report.no_process],
        "scope_unjustified": [vars(c) for c in report.scope_unjustified],
        "scope_excluded": [vars(c) for c in report.scope_excluded],
    }
