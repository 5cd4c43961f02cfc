"""FSCA pages: the list (paged, filtered, a constant number of queries), a new FSCA
(raised from other records with ?from=type:id), an FSCA with everything about it, and
the small forms of each step, each posting to one action and redirecting back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.files import open_stored
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed
from openqms.events import access
from openqms.events.actions import fsca as actions
from openqms.events.forms.fsca import (
    CloseForm,
    DeviceRowForm,
    FscaFilter,
    FscaForm,
    MarketForm,
    MhraForm,
    NoticeForm,
    NoticeReviewForm,
    PartyForm,
    ReconcileForm,
    StartForm,
)
from openqms.events.models import Fsca, FscaState
from openqms.events.registry import MANAGE, REPORT, SIGN

PAGE_SIZE = 25


def fsca_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = FscaFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(actions.filtered(request.user, data), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    for f in rows:
        f.percent = actions.percent(f.reached, f.affected)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/fsca/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_manage": has_permission(request.user, MANAGE),
        },
    )


def fsca_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, MANAGE)
    sources = request.GET.getlist("from") or request.POST.getlist("from")
    form = FscaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        devices = [(data["device"], data["identifiers"])] if data["device"] else []
        made = attempt(
            request,
            form,
            lambda: actions.open_fsca(
                actor=request.user,
                title=data["title"],
                reason=data["reason"],
                description=data["description"],
                user_actions=data["user_actions"],
                scope=data["scope"],
                other_market=data["other_market"],
                urgent=data["urgent"],
                urgency_justification=data["urgency_justification"],
                devices=devices,
                sources=sources,
            ),
            "FSCA opened. Add the markets affected, then record who was told.",
        )
        if made:
            return redirect("events:fsca", pk=made.pk)
    return render(request, "events/fsca/form.html", {"form": form, "sources": sources})


def _fsca(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Fsca:
    qs = Fsca.objects.select_related("device", "owner", "opened_by", "notice", "mhra_file")
    return access.get_for_user(request.user, qs, pk, permission=permission)


def fsca_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, _fsca(request, pk))


STEP_FORMS: dict[str, type[forms.Form]] = {
    "device": DeviceRowForm,
    "market": MarketForm,
    "mhra": MhraForm,
    "party": PartyForm,
    "notice": NoticeForm,
    "review": NoticeReviewForm,
    "start": StartForm,
    "reconcile": ReconcileForm,
}


def _blank(key: str, fsca: Fsca) -> forms.Form:
    # Each form's fields get ids of their own (the page has several forms).
    ids = f"{key}-%s"
    if key == "reconcile":
        return ReconcileForm(fsca=fsca, auto_id=ids)
    if key == "notice":
        return NoticeForm(initial={"notice": fsca.notice_id}, auto_id=ids)
    return STEP_FORMS[key](auto_id=ids)


def _page(
    request: AuthenticatedHttpRequest, fsca: Fsca, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The FSCA page; a step's form that failed comes back with what was typed."""
    markets, reached, affected = actions.reach(fsca)
    user = request.user
    is_open = fsca.state != FscaState.CLOSED
    can_manage = is_open and has_permission(user, MANAGE)
    start = actions.FSCA.get("start")
    return render(
        request,
        "events/fsca/detail.html",
        {
            "fsca": fsca,
            "devices": list(fsca.devices.select_related("device")),
            "markets": markets,
            "reached": reached,
            "affected": affected,
            "percent": actions.percent(reached, affected),
            "notices": list(fsca.notices.select_related("recorded_by")),
            "gaps": actions.gaps(fsca),
            "entries": list(fsca.reconciliations.select_related("market", "recorded_by")),
            "revision": actions.notice_revision(fsca),
            "can_manage": can_manage,
            "can_report": is_open
            and fsca.mhra_notified_at is None
            and has_permission(user, REPORT),
            "can_start": fsca.state in start.sources and has_permission(user, MANAGE),
            "why_not_start": actions.FSCA.refusal(fsca, user, start, gates=False),
            "can_close": fsca.state == FscaState.IN_PROGRESS and has_permission(user, SIGN),
            "forms": {key: _blank(key, fsca) for key in STEP_FORMS} | (bound or {}),
        },
        status=400 if bound else 200,
    )


def _step(
    request: AuthenticatedHttpRequest,
    pk: int,
    key: str,
    call: Callable[[Fsca, dict[str, Any]], Any],
    success: str,
    permission: str = MANAGE,
) -> HttpResponse:
    """One step's form posted: run its action and go back to the FSCA; refused, the page
    is shown again with the form as typed and the problem named at its field."""
    fsca = _fsca(request, pk, permission)
    kwargs: dict[str, Any] = {"fsca": fsca} if key == "reconcile" else {}
    form = STEP_FORMS[key](request.POST, request.FILES, auto_id=f"{key}-%s", **kwargs)
    if form.is_valid() and attempt(request, form, lambda: call(fsca, form.cleaned_data), success):
        return redirect("events:fsca", pk=fsca.pk)
    return _page(request, _fsca(request, pk), {key: form})


def _upload(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    upload = request.FILES.get("file")
    return {"file": upload, "file_name": upload.name or ""} if upload else {}


@require_POST
def fsca_add_device(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "device",
        lambda f, d: actions.add_device(
            actor=request.user, fsca=f, device=d["device"], identifiers=d["identifiers"]
        ),
        "Device added.",
    )


@require_POST
def fsca_market(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "market",
        lambda f, d: actions.set_market(actor=request.user, fsca=f, **d),
        "Market recorded.",
    )


@require_POST
def fsca_mhra(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "mhra",
        lambda f, d: actions.record_mhra_notification(
            actor=request.user,
            fsca=f,
            notified_at=d["notified_at"],
            reference=d["mhra_reference"],
            **_upload(request),
        ),
        "MHRA notification recorded.",
        permission=REPORT,
    )


@require_POST
def fsca_party(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "party",
        lambda f, d: actions.record_party_told(
            actor=request.user,
            fsca=f,
            party=d["party"],
            told=d["told"],
            told_at=d["told_at"],
            how=d["how"],
            reference=d["reference"],
            **_upload(request),
        ),
        "Evidence recorded.",
    )


@require_POST
def fsca_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "notice",
        lambda f, d: actions.set_notice(actor=request.user, fsca=f, document=d["notice"].pk),
        "Field safety notice set.",
    )


@require_POST
def fsca_notice_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "review",
        lambda f, d: actions.record_notice_review(actor=request.user, fsca=f, **d),
        "The MHRA's review of the notice is recorded.",
    )


@require_POST
def fsca_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "start",
        lambda f, d: actions.start_fsca(actor=request.user, fsca=f, started_at=d["started_at"]),
        "The action has started.",
    )


@require_POST
def fsca_reconcile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "reconcile",
        lambda f, d: actions.record_reconciliation(
            actor=request.user,
            fsca=f,
            market=d["market"],
            reached_on=d["reached_on"],
            units_reached=d["units_reached"],
            note=d["note"],
        ),
        "Reconciliation recorded.",
    )


@require_POST
def fsca_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fsca = _fsca(request, pk)
    attempt_signed(
        request,
        CloseForm(request.POST),
        lambda data, credentials: actions.close_fsca(
            actor=request.user,
            fsca=fsca,
            credentials=credentials,
            closure_justification=data["closure_justification"],
            reason=data["reason"],
        ),
        "FSCA closed and signed.",
    )
    return redirect("events:fsca", pk=fsca.pk)


def fsca_file(request: AuthenticatedHttpRequest, pk: int, which: str) -> FileResponse:
    fsca = _fsca(request, pk)
    stored, name = actions.file_of(fsca, which)
    return FileResponse(open_stored(stored), as_attachment=True, filename=name)
