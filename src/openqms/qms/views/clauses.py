"""The clause-coverage map (ISO 13485:2016 clauses 4 to 8), one clause's coverage and
its edit page, and the gap report (page and PDF). Everyone signed in reads them; editing
needs qms.clause:manage (the action checks it again)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from openqms.core.access import has_permission, require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt
from openqms.documents.models import Document
from openqms.qms import access, gaps
from openqms.qms.actions.clauses import edit_clause
from openqms.qms.data.clauses import STANDARD
from openqms.qms.forms.clauses import ClauseForm
from openqms.qms.models import Clause, Process
from openqms.qms.pdf import render_gap_report
from openqms.qms.registry import CLAUSES


def clause_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The map is the standard's fixed set of clauses (about 70 rows), so one page; three
    # queries however many processes and documents.
    access.require_reader(request.user)
    processes = Prefetch("processes", Process.objects.filter(retired_at__isnull=True))
    clauses = list(Clause.objects.prefetch_related(processes))
    tagged = gaps.documents_by_clause([c.number for c in clauses])
    exclusions = gaps.scope_exclusions()  # the scope in force decides what applies
    rows = [
        (c, len(tagged.get(c.number, [])), gaps.exclusion_for(c.number, exclusions))
        for c in clauses
    ]
    context = {
        "rows": rows,
        "standard": STANDARD,
        "can_edit": has_permission(request.user, CLAUSES),
    }
    return render(request, "qms/clauses.html", context)


def clause_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    clause = access.get_clause_for_user(request.user, number)
    processes = clause.processes.order_by("code").prefetch_related(
        Prefetch("documents", Document.objects.filter(in_force=True).order_by("number"))
    )
    documents = gaps.documents_by_clause([clause.number]).get(clause.number, [])
    context = {
        "clause": clause,
        "excluded": gaps.exclusion_for(clause.number, gaps.scope_exclusions()),
        "processes": processes,
        "documents": documents,
        "can_edit": has_permission(request.user, CLAUSES),
    }
    return render(request, "qms/clause.html", context)


def clause_edit(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    require_or_404(request.user, CLAUSES)
    clause = access.get_clause_for_user(request.user, number)
    form = ClauseForm(request.POST or None, clause=clause)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = attempt(
            request,
            form,
            lambda: edit_clause(
                actor=request.user,
                clause=clause,
                title=d["title"],
                applicable=d["applicable"],
                justification=d["justification"],
                notes=d["notes"],
                records=d["records"],
                processes=d["processes"],
            ),
            f"Clause {clause.number} saved.",
        )
        if done:
            return redirect("qms:clause", number=clause.number)
    return render(request, "qms/clause_form.html", {"form": form, "clause": clause})


def gap_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    return render(request, "qms/gaps.html", {"report": gaps.build(), "standard": STANDARD})


def gap_report_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    pdf = render_gap_report(gaps.build(), generated_by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="gap-report.pdf"'
    response["Cache-Control"] = "no-store"  # a report of today, not to be kept as current
    return response


urlpatterns = [
    path("clauses/", clause_list, name="clauses"),
    path("clauses/<str:number>/", clause_detail, name="clause"),
    path("clauses/<str:number>/edit/", clause_edit, name="clause-edit"),
    path("gaps/", gap_report, name="gaps"),
    path("gaps/pdf/", gap_report_pdf, name="gaps-pdf"),
]
