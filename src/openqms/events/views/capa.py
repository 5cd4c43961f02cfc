"""CAPA pages: the list (paged, filtered, constant queries), a CAPA with everything about
it and the forms of each step, and raising one (from the records named by ?from=)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import DomainError, NotFound
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.links import parse_key
from openqms.core.views.common import attempt, attempt_signed
from openqms.events import access
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.capa_revisions import revisions_changed
from openqms.events.forms import capa as f
from openqms.events.models import Capa, CapaAction, CapaState
from openqms.events.registry import LOG, MANAGE, SIGN

PAGE_SIZE = 25


def _rows(user: Any) -> Any:
    return access.visible(user, Capa.objects.select_related("owner", "device"))


def capa_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = f.CapaFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    overdue = CapaAction.objects.filter(
        capa=OuterRef("pk"), round=OuterRef("round"), done_at__isnull=True, due__lt=today
    )
    rows = _rows(request.user).annotate(late=Exists(overdue))
    if data.get("q"):
        rows = rows.filter(Q(number__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("state") == "open":
        rows = rows.exclude(state=CapaState.CLOSED)
    elif data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("capa_type"):
        rows = rows.filter(capa_type=data["capa_type"])
    if data.get("device"):
        rows = rows.filter(device=data["device"])
    if data.get("mine"):
        rows = rows.filter(owner=request.user)
    if data.get("overdue"):
        rows = rows.filter(late=True)
    page = Paginator(rows.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/capa/list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "today": today,
            "can_raise": has_permission(request.user, LOG),
        },
    )


def capa_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, LOG)
    sources = request.GET.getlist("from") or request.POST.getlist("from")
    form = f.CapaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        refs = [(data["reference_kind"], data["reference"])] if data["reference_kind"] else []
        made = attempt(
            request,
            form,
            lambda: actions.raise_capa(
                actor=request.user,
                title=data["title"],
                capa_type=data["capa_type"],
                problem=data["problem"],
                owner=data["owner"],
                device=data["device"],
                sources=sources,
                references=refs,
            ),
            "CAPA raised.",
        )
        if made:
            return redirect("events:capa", pk=made.pk)
    named = []
    for source in sources:
        try:
            named.append(parse_key(source))
        except DomainError:  # a bad key is refused by the action; shown here as typed
            named.append((source, ""))
    return render(
        request, "events/capa/form.html", {"form": form, "sources": sources, "named": named}
    )


FORMS: dict[str, Callable[..., forms.Form]] = {
    "edit_form": f.EditForm,
    "analysis_form": f.AnalysisForm,
    "reference_form": f.ReferenceForm,
    "action_form": f.ActionForm,
    "verification_form": f.VerificationForm,
    "check_form": f.CheckPlanForm,
    "impact_form": f.ImpactForm,
    "notice_form": f.NoticeForm,
    "revision_form": f.RevisionForm,
}


def _initial(capa: Capa) -> dict[str, dict[str, Any]]:
    return {
        "edit_form": {
            "title": capa.title,
            "capa_type": capa.capa_type,
            "problem": capa.problem,
            "risk_severity": capa.risk_severity or "",
            "risk_probability": capa.risk_probability or "",
            "risk_assessment": capa.risk_assessment,
            "containment": capa.containment,
        },
        "analysis_form": {
            **{f"why_{i}": w for i, w in enumerate(capa.whys, 1)},
            "cause_categories": capa.cause_categories,
            "root_cause": capa.root_cause,
        },
        "check_form": {"criteria": capa.effectiveness_criteria, "due": capa.effectiveness_due},
        "impact_form": {
            "touches_safety": {True: "yes", False: "no", None: ""}[capa.touches_safety],
            "assessment": capa.regulatory_assessment,
        },
    }


def _page(
    request: AuthenticatedHttpRequest,
    capa: Capa,
    bound: dict[str, forms.Form] | None = None,
    typed: tuple[int, str] = (0, ""),
) -> HttpResponse:
    user = request.user
    initial = _initial(capa)
    page_forms = {
        name: (bound or {}).get(name) or cls(initial=initial.get(name))
        for name, cls in FORMS.items()
    }
    actions_ = list(capa.actions.select_related("owner", "done_by"))
    steps = [t for t in actions.CAPA.available(capa, user) if t.name in actions.STEPS]
    can_sign_check = actions.effectiveness_refusal(capa, user) is None
    return render(
        request,
        "events/capa/detail.html",
        {
            "capa": capa,
            **page_forms,
            "current": [a for a in actions_ if a.round == capa.round],
            "earlier": [a for a in actions_ if a.round != capa.round],
            "references": list(capa.references.all()),
            "checks": list(capa.checks.select_related("checked_by")),
            "notices": list(capa.notices.select_related("recorded_by")),
            "revisions": revisions_changed(user, capa),
            "steps": steps,
            "can_manage": has_permission(user, MANAGE) and capa.state != CapaState.CLOSED,
            "can_sign_check": can_sign_check,
            "effectiveness_form": f.EffectivenessForm(),
            "why_not_close": actions.regulatory_refusal(capa)
            if capa.state == CapaState.EFFECTIVENESS
            else None,
            "today": timezone.localdate(),
            "user_id": user.pk,
            "typed_action": typed[0],
            "typed_evidence": typed[1],
            "can_sign": has_permission(user, SIGN),
        },
    )


def capa_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capa = access.get_for_user(request.user, _rows(request.user), pk)
    return _page(request, capa)


def _posted(
    request: AuthenticatedHttpRequest,
    pk: int,
    name: str,
    call: Callable[[Capa, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    """A form of the CAPA page: done → back to the page (POST-redirect-GET); refused or
    invalid → the page again with the form, its errors and what was typed."""
    capa = access.get_for_user(request.user, _rows(request.user), pk, permission=None)
    form = FORMS[name](request.POST)
    if form.is_valid() and attempt(request, form, lambda: call(capa, form.cleaned_data), success):
        return redirect("events:capa", pk=pk)
    return _page(request, capa, {name: form})


@require_POST
def capa_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "edit_form",
        lambda c, d: plan.edit_capa(actor=request.user, capa=c, **d),
        "Saved.",
    )


@require_POST
def capa_analysis(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def call(c: Capa, d: dict[str, Any]) -> Any:
        whys = [d[f"why_{i}"] for i in range(1, 6)]
        return plan.record_analysis(
            actor=request.user,
            capa=c,
            whys=whys,
            categories=d["cause_categories"],
            root_cause=d["root_cause"],
        )

    return _posted(request, pk, "analysis_form", call, "Root-cause analysis recorded.")


@require_POST
def capa_reference(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "reference_form",
        lambda c, d: actions.add_reference(actor=request.user, capa=c, **d),
        "Source added.",
    )


@require_POST
def capa_action_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "action_form",
        lambda c, d: plan.add_action(actor=request.user, capa=c, **d),
        "Action added to the plan.",
    )


@require_POST
def capa_action_done(request: AuthenticatedHttpRequest, pk: int, action: int) -> HttpResponse:
    capa = access.get_for_user(request.user, _rows(request.user), pk)
    task = capa.actions.filter(pk=action).first()
    if task is None:
        raise NotFound()
    form = f.DoneForm(request.POST)
    if form.is_valid() and attempt(
        request,
        None,
        lambda: plan.complete_action(
            actor=request.user, action=task, evidence=form.cleaned_data["evidence"]
        ),
        "Action done.",
    ):
        return redirect("events:capa", pk=pk)
    if not form.is_valid():
        messages.error(request, "Nothing was changed. Give the evidence that it is done.")
    # The page again, with what was typed in that action's evidence box.
    return _page(request, capa, typed=(task.pk, request.POST.get("evidence", "")))


@require_POST
def capa_verify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "verification_form",
        lambda c, d: plan.record_verification(
            actor=request.user, capa=c, checked=d["verification"]
        ),
        "Verification recorded.",
    )


@require_POST
def capa_check_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "check_form",
        lambda c, d: plan.plan_effectiveness(actor=request.user, capa=c, **d),
        "Effectiveness check planned.",
    )


@require_POST
def capa_impact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "impact_form",
        lambda c, d: plan.assess_regulatory_impact(
            actor=request.user,
            capa=c,
            touches_safety=d["touches_safety"],
            assessment=d["assessment"],
        ),
        "Regulatory impact recorded.",
    )


@require_POST
def capa_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "notice_form",
        lambda c, d: plan.record_notice(actor=request.user, capa=c, **d),
        "Notice recorded.",
    )


@require_POST
def capa_revision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        "revision_form",
        lambda c, d: actions.link_revision(actor=request.user, capa=c, **d),
        "Revision linked.",
    )


@require_POST
def capa_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    capa = access.get_for_user(request.user, _rows(request.user), pk)
    form = SignatureForm(request.POST)
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.take_step(
            actor=request.user, capa=capa, step=step, credentials=credentials, reason=data["reason"]
        ),
        "Done.",
    )
    return redirect("events:capa", pk=pk)


@require_POST
def capa_effectiveness(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capa = access.get_for_user(request.user, _rows(request.user), pk)
    form = f.EffectivenessForm(request.POST)
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.record_effectiveness(
            actor=request.user,
            capa=capa,
            result=data["result"],
            evidence=data["evidence"],
            comment=data["reason"],
            credentials=credentials,
        ),
        "Effectiveness result signed.",
    )
    return redirect("events:capa", pk=pk)
