"""The device register's pages: the list, a device, and its changes (POST-redirect-GET).

Everyone signed in reads; changes need devices.device:manage, which the actions check
(a refusal comes back as a message)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_member, require_or_404
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted, attempt_with_reason
from openqms.devices import access, actions
from openqms.devices.forms import (
    DeviceEditForm,
    DeviceForm,
    MarketForm,
    RecognitionForm,
    RegistrationForm,
    StepForm,
    UdiForm,
)
from openqms.devices.models import CeRecognition, DeviceMarket, DeviceUdi
from openqms.devices.registry import MANAGE

PAGE_SIZE = 50
WARN_DAYS = 365  # CE recognition ending within a year is shown as a warning


def device_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    devices = (
        access.visible_devices(request.user)
        .select_related("family", "device_class")
        .prefetch_related(
            Prefetch(
                "markets",
                queryset=DeviceMarket.objects.filter(removed_at=None),
                to_attr="live_markets",
            )
        )
        .order_by("name", "model", "pk")
    )
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "manages": has_permission(request.user, MANAGE)}
    return render(request, "devices/list.html", context)


def device_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, MANAGE)
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = attempt(
            request,
            form,
            lambda: actions.create_device(actor=request.user, **form.cleaned_data),
            "Device added to the register.",
        )
        if device:
            return redirect("devices:device", pk=device.pk)
    return render(request, "devices/form.html", {"form": form, "title": "New device"})


def _recognitions_near() -> list[CeRecognition]:
    soon = timezone.localdate() + dt.timedelta(days=WARN_DAYS)
    return list(CeRecognition.objects.filter(until__lte=soon))


def device_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    markets = list(
        device.markets.filter(removed_at=None).select_related("body", "certificate", "recognition")
    )
    today = timezone.localdate()
    for m in markets:
        m.ends_soon = bool(  # type: ignore[attr-defined]
            m.recognition and m.recognition.until <= today + dt.timedelta(days=WARN_DAYS)
        )
    context = {
        "device": device,
        "markets": markets,
        "udis": device.udis.filter(removed_at=None),
        "steps": actions.LIFECYCLE.available(device, request.user),
        "manages": has_permission(request.user, MANAGE),
        "step_form": StepForm(auto_id="step-%s"),
        "registration_form": RegistrationForm(
            auto_id="reg-%s", initial={"reference": device.mhra_reference}
        ),
        "market_form": MarketForm(auto_id="market-%s"),
        "udi_form": UdiForm(auto_id="udi-%s"),
        "reason_form": ReasonForm(auto_id=False),
    }
    return render(request, "devices/device.html", context)


def device_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, MANAGE)
    device = access.get_device_for_user(request.user, pk)
    fields = list(DeviceForm.base_fields)
    form = DeviceEditForm(request.POST or None, initial={f: getattr(device, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        changed = {k: v for k, v in data.items() if k in form.changed_data}
        done = attempt(
            request,
            form,
            lambda: actions.edit_device(
                actor=request.user, device=device, reason=reason, **changed
            ),
            "Device saved.",
        )
        if done:
            return redirect("devices:device", pk=device.pk)
    context = {"form": form, "title": f"Edit {device}", "device": device}
    return render(request, "devices/form.html", context)


@require_POST
def device_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    attempt_posted(
        request,
        StepForm(request.POST),
        lambda data: actions.take_step(
            actor=request.user, device=device, step=step, on=data["on"], reason=data["reason"]
        ),
        "Lifecycle step recorded.",
    )
    return redirect("devices:device", pk=device.pk)


@require_POST
def device_registration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    attempt_posted(
        request,
        RegistrationForm(request.POST),
        lambda data: actions.record_registration(actor=request.user, device=device, **data),
        "MHRA registration recorded.",
    )
    return redirect("devices:device", pk=device.pk)


@require_POST
def market_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    attempt_posted(
        request,
        MarketForm(request.POST),
        lambda data: actions.add_market(actor=request.user, device=device, **data),
        "Market added.",
    )
    return redirect("devices:device", pk=device.pk)


@require_POST
def market_remove(request: AuthenticatedHttpRequest, pk: int, market: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    row: DeviceMarket = access.get_market(device, market)
    attempt_with_reason(
        request,
        lambda reason: actions.remove_market(actor=request.user, market=row, reason=reason),
        "Market removed.",
    )
    return redirect("devices:device", pk=device.pk)


@require_POST
def udi_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    attempt_posted(
        request,
        UdiForm(request.POST),
        lambda data: actions.add_udi(actor=request.user, device=device, **data),
        "UDI added.",
    )
    return redirect("devices:device", pk=device.pk)


@require_POST
def udi_remove(request: AuthenticatedHttpRequest, pk: int, udi: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    row: DeviceUdi = access.get_udi(device, udi)
    attempt_with_reason(
        request,
        lambda reason: actions.remove_udi(actor=request.user, udi=row, reason=reason),
        "UDI removed.",
    )
    return redirect("devices:device", pk=device.pk)


def recognitions(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_member(request.user)
    rows = list(CeRecognition.objects.all())
    soon = {r.pk for r in _recognitions_near()}
    context = {
        "rows": [(r, r.pk in soon, RecognitionForm(auto_id=f"r{r.pk}-%s")) for r in rows],
        "manages": has_permission(request.user, MANAGE),
    }
    return render(request, "devices/recognitions.html", context)


@require_POST
def recognition_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, MANAGE)
    row = access.get_recognition(pk)
    attempt_posted(
        request,
        RecognitionForm(request.POST),
        lambda data: actions.edit_recognition(actor=request.user, recognition=row, **data),
        "Date saved.",
    )
    return redirect("devices:recognitions")
