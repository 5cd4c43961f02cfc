"""The organisation profile's pages: who the manufacturer is, its market roles, sites,
approved bodies and UK Responsible People. Everyone signed in reads; changing needs
qms.organisation:manage (UK MDR 2002 regs. 7A, 19)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted, attempt_with_reason
from openqms.qms import access
from openqms.qms.actions import organisation as actions
from openqms.qms.forms.organisation import (
    BodyForm,
    MarketRoleForm,
    OrganisationForm,
    ResponsiblePersonForm,
    SiteForm,
)
from openqms.qms.models import ApprovedBody, MarketRole, Organisation, ResponsiblePerson, Site
from openqms.qms.registry import ORGANISATION


def organisation(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    profile = Organisation.objects.select_related("responsible_person", "approved_body").first()
    return render(
        request,
        "qms/organisation.html",
        {
            "profile": profile,
            "roles": MarketRole.objects.filter(retired_at__isnull=True),
            "sites": Site.objects.all(),
            "bodies": ApprovedBody.objects.all(),
            "people": ResponsiblePerson.objects.select_related("mandate"),
            "manages": has_permission(request.user, ORGANISATION),
            "role_form": MarketRoleForm(),
        },
    )


def organisation_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, ORGANISATION)
    profile = Organisation.objects.first()
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                form,
                lambda: actions.save_organisation(actor=request.user, **data),
                "Organisation profile saved.",
            ):
                return redirect("qms:organisation")
    else:
        initial: dict[str, object] = {"based_in_uk": True}
        if profile is not None:
            initial = {
                "legal_name": profile.legal_name,
                "registered_address": profile.registered_address,
                "based_in_uk": profile.based_in_uk,
                "responsible_person": profile.responsible_person_id,
                "approved_body": profile.approved_body_id,
            }
        form = OrganisationForm(initial=initial)
    return render(
        request, "qms/organisation_form.html", {"form": form, "title": "Organisation profile"}
    )


@dataclass(frozen=True)
class Kind:
    """One kind of row the profile keeps: its form, how to read it, how to write it."""

    title: str
    form: type[forms.Form]
    get: Callable[..., Any]
    write: Callable[..., Any]
    retire: Callable[..., Any]
    field: str  # the action's keyword for the row
    fields: tuple[str, ...]


KINDS = {
    "site": Kind(
        "Site",
        SiteForm,
        access.get_site_for_user,
        actions.save_site,
        actions.retire_site,
        "site",
        ("name", "address", "activities"),
    ),
    "body": Kind(
        "Approved body",
        BodyForm,
        access.get_body_for_user,
        actions.save_body,
        actions.retire_body,
        "body",
        ("name", "number", "kind", "contact_name", "email", "phone", "address"),
    ),
    "rp": Kind(
        "UK Responsible Person",
        ResponsiblePersonForm,
        access.get_responsible_person_for_user,
        actions.save_responsible_person,
        actions.retire_responsible_person,
        "person",
        ("name", "address", "email", "phone", "mandate"),
    ),
}


def _kind(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def row_edit(request: AuthenticatedHttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    k = _kind(kind)
    row = k.get(request.user, pk, need=ORGANISATION) if pk is not None else None
    require_or_404(request.user, ORGANISATION)
    if request.method == "POST":
        form = k.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                form,
                lambda: k.write(actor=request.user, **{k.field: row}, **data),
                f"{k.title} saved.",
            ):
                return redirect("qms:organisation")
    else:
        initial = {f: getattr(row, f) for f in k.fields} if row is not None else {}
        form = k.form(initial=initial)
    title = f"{k.title}: {row}" if row is not None else f"New {k.title[0].lower()}{k.title[1:]}"
    if kind == "rp":
        title = f"UK Responsible Person: {row}" if row is not None else "New UK Responsible Person"
    return render(
        request,
        "qms/organisation_form.html",
        {"form": form, "title": title, "row": row, "kind": kind},
    )


@require_POST
def row_retire(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    row = k.get(request.user, pk, need=ORGANISATION)
    attempt_with_reason(
        request,
        lambda reason: k.retire(actor=request.user, **{k.field: row}, reason=reason),
        f"{k.title} retired.",
    )
    return redirect("qms:organisation")


@require_POST
def role_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, ORGANISATION)
    attempt_posted(
        request,
        MarketRoleForm(request.POST),
        lambda data: actions.add_market_role(actor=request.user, **data),
        "Market role added.",
    )
    return redirect("qms:organisation")


@require_POST
def role_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    held = access.get_market_role_for_user(request.user, pk, need=ORGANISATION)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_market_role(
            actor=request.user, market_role=held, reason=reason
        ),
        "Market role retired.",
    )
    return redirect("qms:organisation")


urlpatterns = [
    path("organisation/", organisation, name="organisation"),
    path("organisation/edit/", organisation_edit, name="organisation-edit"),
    path("organisation/roles/", role_add, name="market-role-add"),
    path("organisation/roles/<int:pk>/retire/", role_retire, name="market-role-retire"),
    path("organisation/<slug:kind>/new/", row_edit, name="organisation-row-new"),
    path("organisation/<slug:kind>/<int:pk>/", row_edit, name="organisation-row"),
    path("organisation/<slug:kind>/<int:pk>/retire/", row_retire, name="organisation-row-retire"),
]
