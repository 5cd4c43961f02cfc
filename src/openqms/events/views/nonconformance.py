"""Nonconformity pages: the list (paged, filtered, a constant number of queries), raise
one (from another record with ?from=type:id), the record with the steps its reader may
take now, and the posts that take them (POST-redirect-GET)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core import modules
from openqms.core.access import has_permission
from openqms.core.errors import DomainError, InvalidInput
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.links import parse_key
from openqms.core.modules import Panel
from openqms.core.views.common import attempt, attempt_signed
from openqms.events import access
from openqms.events.actions import nonconformance as actions
from openqms.events.forms.nonconformance import (
    AssessForm,
    ChangeDispositionForm,
    ContainForm,
    DisposeForm,
    NcFilter,
    RaiseForm,
    ReverifyForm,
)
from openqms.events.models import NcState, Nonconformity
from openqms.events.registry import LOG

PAGE_SIZE = 25


def rows() -> Any:
    return Nonconformity.objects.select_related("device", "supplier", "owner")


def nonconformity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, None)
    form = NcFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = access.visible(request.user, rows())
    if data.get("source"):
        found = found.filter(source=data["source"])
    if data.get("state") == "open":
        found = found.exclude(state=NcState.CLOSED)
    elif data.get("state"):
        found = found.filter(state=data["state"])
    if data.get("supplier"):
        found = found.filter(supplier=data["supplier"])
    if data.get("device"):
        found = found.filter(device=data["device"])
    page = Paginator(found.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/nonconformance/list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_raise": has_permission(request.user, LOG),
        },
    )


def nonconformity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, LOG)
    sources = request.POST.getlist("from") or request.GET.getlist("from")
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            request,
            form,
            lambda: actions.raise_nonconformity(
                actor=request.user,
                title=data["title"],
                source=data["source"],
                description=data["description"],
                requirement=data["requirement"],
                device=data["device"],
                supplier=data["supplier"],
                product=data["product"],
                part=data["part"],
                lot=data["lot"],
                serial=data["serial"],
                quantity=data["quantity"],
                sources=sources,
            ),
            "Nonconformity raised. Record its containment next.",
        )
        if made:
            return redirect("events:nonconformity", pk=made.pk)
    return render(
        request,
        "events/nonconformance/form.html",
        {"form": form, "sources": sources, "named": _named(request.user, sources)},
    )


def _named(user: Any, sources: list[str]) -> list[str]:
    """The records it is raised from, by their names (as `user` may see them)."""
    keys: list[tuple[str, str] | None] = []
    for text in sources:
        try:
            keys.append(parse_key(text))
        except InvalidInput:
            keys.append(None)
    refs = modules.record_refs(user, [k for k in keys if k is not None])
    names = []
    for key in keys:
        ref = refs.get(key) if key is not None else None
        names.append(ref.label if ref is not None and ref.readable else "a record you cannot open")
    return names


def _detail(
    request: AuthenticatedHttpRequest, nc: Nonconformity, bound: dict[str, forms.Form]
) -> HttpResponse:
    # The steps offered now, and the one just refused (shown again with what was typed).
    steps = {t.name for t in actions.NC_FLOW.available(nc, request.user)} | set(bound)
    return render(
        request,
        "events/nonconformance/detail.html",
        {
            "nc": nc,
            "steps": steps,
            "contain_form": bound.get("contain") or ContainForm(),
            "assess_form": bound.get("assess") or AssessForm(),
            "dispose_form": bound.get("dispose") or DisposeForm(),
            "reverify_form": bound.get("reverify") or ReverifyForm(),
            "change_form": bound.get("change_disposition") or ChangeDispositionForm(),
        },
        status=400 if bound else 200,
    )


def nonconformity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_for_user(request.user, rows(), pk), {})


Call = Callable[[AuthenticatedHttpRequest, Nonconformity, dict[str, Any]], Nonconformity]

# Each unsigned step: its form, the action it calls, and what the page then says.
STEPS: dict[str, tuple[type[forms.Form], Call, str]] = {
    "contain": (
        ContainForm,
        lambda r, nc, d: actions.contain_nonconformity(actor=r.user, nc=nc, **d),
        "Containment recorded. Assess the impact next.",
    ),
    "assess": (
        AssessForm,
        lambda r, nc, d: actions.assess_nonconformity(actor=r.user, nc=nc, **d),
        "Impact assessed. Decide the disposition next.",
    ),
    "dispose": (
        DisposeForm,
        lambda r, nc, d: actions.dispose_nonconformity(actor=r.user, nc=nc, **d),
        "Disposition recorded.",
    ),
    "reverify": (
        ReverifyForm,
        lambda r, nc, d: actions.reverify_nonconformity(actor=r.user, nc=nc, **d),
        "Re-verification recorded.",
    ),
    "change_disposition": (
        ChangeDispositionForm,
        lambda r, nc, d: actions.change_disposition(actor=r.user, nc=nc, **d),
        "Disposition withdrawn. Decide the disposition again.",
    ),
}


@require_POST
def nonconformity_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    nc = access.get_for_user(request.user, rows(), pk)
    if step not in STEPS:
        raise Http404()
    form_class, call, success = STEPS[step]
    # A step not open to this person now (permission, state, training) is said as a
    # message on the record's page; only what was typed wrong re-shows the form.
    refusal = actions.NC_FLOW.refusal(nc, request.user, actions.NC_FLOW.get(step), gates=False)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("events:nonconformity", pk=nc.pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, nc, {step: form})  # shown again with what was typed
    try:
        call(request, nc, form.cleaned_data)
    except InvalidInput as exc:
        for name, problem in exc.fields.items():
            if name in form.fields:
                form.add_error(name, problem)
        form.add_error(None, exc.message)
        return _detail(request, nc, {step: form})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("events:nonconformity", pk=nc.pk)
    messages.success(request, success)
    return redirect("events:nonconformity", pk=nc.pk)


SIGNED = {
    "concession": (actions.authorise_concession, "Concession authorised."),
    "release": (actions.release_nonconformity, "Released; the nonconformity is closed."),
    "close-in-error": (actions.close_in_error, "Closed as raised in error."),
}


@require_POST
def nonconformity_sign(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    nc = access.get_for_user(request.user, rows(), pk)
    if step not in SIGNED:
        raise Http404()
    action, success = SIGNED[step]
    attempt_signed(
        request,
        SignatureForm(request.POST),
        lambda data, credentials: action(
            actor=request.user, nc=nc, credentials=credentials, reason=data["reason"]
        ),
        success,
    )
    return redirect("events:nonconformity", pk=nc.pk)


# -- the QMS dashboard's panel -------------------------------------------------------------

AGES = [(30, "under 30 days"), (90, "30 to 90 days"), (None, "over 90 days")]
OLDEST = 5


def dashboard_panel(user: Any) -> list[Panel]:
    """Open nonconformities by age (two queries, whatever their number)."""
    if not access.is_reader(user):
        return []
    now = timezone.now()
    open_ncs = Nonconformity.objects.exclude(state=NcState.CLOSED)
    buckets, newer = {}, None
    for i, (days, _label) in enumerate(AGES):
        q = Q() if newer is None else Q(opened_at__lte=now - dt.timedelta(days=newer))
        if days is not None:
            q &= Q(opened_at__gt=now - dt.timedelta(days=days))
        buckets[f"age{i}"] = Count("pk", filter=q)
        newer = days
    counts = open_ncs.aggregate(**buckets)
    ages = [(label, counts[f"age{i}"]) for i, (_, label) in enumerate(AGES)]
    oldest = list(open_ncs.select_related("supplier").order_by("opened_at", "pk")[:OLDEST])
    return [
        Panel(
            title="Open nonconformities",
            template="events/nonconformance/panel.html",
            context={"ages": ages, "oldest": oldest, "now": now},
            url=reverse("events:nonconformities") + "?state=open",
            order=46,
        )
    ]
