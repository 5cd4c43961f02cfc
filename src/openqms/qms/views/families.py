"""Device families: the list, define, edit, retire (qms.family:manage). Each family's
page, with its models and medical device file, is the device register's."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_member, require_or_404
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_with_reason
from openqms.qms.actions import families as actions
from openqms.qms.forms.families import FamilyForm
from openqms.qms.models import DeviceFamily
from openqms.qms.registry import FAMILIES


def _family(code: str) -> DeviceFamily:
    family = DeviceFamily.objects.filter(code=code).first()
    if family is None:
        raise NotFound()
    return family


def family_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_member(request.user)
    families = DeviceFamily.objects.annotate(models=Count("devices")).order_by("retired_at", "code")
    manages = has_permission(request.user, FAMILIES)
    form = FamilyForm(request.POST or None)
    if request.method == "POST":
        require_or_404(request.user, FAMILIES)
        if form.is_valid():
            done = attempt(
                request,
                form,
                lambda: actions.create_family(actor=request.user, **form.cleaned_data),
                "Device family defined.",
            )
            if done:
                return redirect("qms:families")
    context = {"families": families, "form": form, "manages": manages}
    return render(request, "qms/family_list.html", context)


def family_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require_or_404(request.user, FAMILIES)
    family = _family(code)
    initial = {"code": family.code, "name": family.name, "description": family.description}
    form = FamilyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.edit_family(actor=request.user, family=family, **form.cleaned_data),
            "Device family saved.",
        )
        if done:
            return redirect("qms:families")
    return render(request, "qms/family_form.html", {"form": form, "family": family})


@require_POST
def family_retire(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require_or_404(request.user, FAMILIES)
    family = _family(code)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_family(actor=request.user, family=family, reason=reason),
        "Device family retired.",
    )
    return redirect("qms:families")


urlpatterns = [
    path("families/", family_list, name="families"),
    path("families/<str:code>/edit/", family_edit, name="family-edit"),
    path("families/<str:code>/retire/", family_retire, name="family-retire"),
]
