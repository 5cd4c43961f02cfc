"""The gap report of the clause-coverage map (ISO 13485 4.1, 4.2; what an approved body
checks first): clauses that need a documented procedure but have none in force, documents
in force past their periodic review (4.2.4 b), clauses marked not applicable without a
justification (4.2.2 a), and applicable clauses no process addresses (4.1.2).

The scope in force decides what applies (4.2.2 a): a clause it excludes or declares not
applicable is not asked for a procedure or a process; it is listed with the scope's
justification, and an exclusion without one is a gap.

Built from six queries whatever the size (the clauses, their processes, the processes'
documents in force, the documents in force, and nothing per row), then joined in
dictionaries: 60 processes and 5,000 documents stay well under a second."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from openqms.documents.models import Document
from openqms.qms.models import Clause, Process, ScopeExclusion, ScopeState


@dataclass(frozen=True)
class ClauseRow:
    number: str
    title: str


@dataclass(frozen=True)
class ScopeExcluded:
    number: str
    title: str
    scope: int  # the number of the scope version in force
    kind: str  # "excluded" or "not applicable"
    justification: str


@dataclass(frozen=True)
class OverdueReview:
    number: str
    title: str
    next_review: dt.date
    days_over: int


@dataclass
class GapReport:
    made_on: dt.date
    clauses: int = 0
    no_procedure: list[ClauseRow] = field(default_factory=list)
    overdue_reviews: list[OverdueReview] = field(default_factory=list)
    unjustified: list[ClauseRow] = field(default_factory=list)
    no_process: list[ClauseRow] = field(default_factory=list)
    scope_excluded: list[ScopeExcluded] = field(default_factory=list)  # not gaps
    scope_unjustified: list[ScopeExcluded] = field(default_factory=list)  # gaps

    @property
    def total(self) -> int:
        return (
            len(self.no_procedure)
            + len(self.overdue_reviews)
            + len(self.unjustified)
            + len(self.no_process)
            + len(self.scope_unjustified)
        )


def covers(tag: str, number: str) -> bool:
    """A document tagged "7.3" serves every clause under 7.3 as well as 7.3 itself."""
    return number == tag or number.startswith(f"{tag}.")


def documents_by_clause(numbers: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(number, title) of the documents in force serving each clause: one query; the
    clauses each distinct tag covers are worked out once."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    covered: dict[str, list[str]] = {}
    in_force = Document.objects.filter(in_force=True, withdrawn_at__isnull=True)
    rows = in_force.order_by("number").values_list("number", "title", "clauses")
    for number, title, tags in rows:
        served: set[str] = set()
        for tag in {str(t) for t in tags or ()}:
            if tag not in covered:
                covered[tag] = [n for n in numbers if covers(tag, n)]
            served.update(covered[tag])
        for clause in served:
            found[clause].append((number, title))
    return found


def scope_exclusions() -> list[ScopeExclusion]:
    """The exclusions of the scope version in force (one query), most specific first."""
    rows = ScopeExclusion.objects.filter(scope__state=ScopeState.IN_FORCE).select_related("scope")
    return sorted(rows, key=lambda e: -len(e.clause))


def exclusion_for(number: str, exclusions: list[ScopeExclusion]) -> ScopeExclusion | None:
    """The scope-in-force exclusion covering a clause: "7.5.9" covers 7.5.9.2 as well."""
    for exclusion in exclusions:
        if covers(exclusion.clause.strip(), number):
            return exclusion
    return None


def build() -> GapReport:
    today = timezone.localdate()
    report = GapReport(made_on=today)
    clauses = list(
        Clause.objects.values_list(
            "pk", "number", "title", "needs_procedure", "applicable", "justification"
        )
    )
    report.clauses = len(clauses)
    exclusions = scope_exclusions()
    processes_of: dict[int, set[int]] = defaultdict(set)
    for clause_id, process_id in Clause.processes.through.objects.filter(
        process__retired_at__isnull=True
    ).values_list("clause_id", "process_id"):
        processes_of[clause_id].add(process_id)
    in_force = Document.objects.filter(in_force=True, withdrawn_at__isnull=True)
    serving: set[int] = set()  # processes with at least one document in force
    for (process_id,) in Process.documents.through.objects.filter(
        document__in=in_force, process__retired_at__isnull=True
    ).values_list("process_id"):
        serving.add(process_id)
    tags: set[str] = set()
    for number, title, doc_clauses, next_review in in_force.order_by("number").values_list(
        "number", "title", "clauses", "next_review"
    ):
        tags.update(str(tag) for tag in doc_clauses or [])
        if next_review is not None and next_review < today:
            days = (today - next_review).days
            report.overdue_reviews.append(OverdueReview(number, title, next_review, days))
    for pk, number, title, needs_procedure, applicable, justification in clauses:
        row = ClauseRow(number, title)
        excluded = exclusion_for(number, exclusions)
        if excluded is not None:
            entry = ScopeExcluded(
                number,
                title,
                excluded.scope.number,
                excluded.get_kind_display(),
                excluded.justification.strip(),
            )
            if entry.justification:
                report.scope_excluded.append(entry)
            else:
                report.scope_unjustified.append(entry)
            continue
        if not applicable:
            if not justification.strip():
                report.unjustified.append(row)
            continue
        mapped = processes_of.get(pk, set())
        if not mapped:
            report.no_process.append(row)
        documented = any(covers(tag, number) for tag in tags) or bool(mapped & serving)
        if needs_procedure and not documented:
            report.no_procedure.append(row)
    report.overdue_reviews.sort(key=lambda r: (r.next_review, r.number))
    return report
