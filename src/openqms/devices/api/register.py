"""Devices: list, read, create, edit; lifecycle steps; the MHRA registration; markets and
UDIs; the classes and the CE recognition dates (configuration)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from ninja import Query, Schema, Status

from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.devices import access, actions
from openqms.devices.api.common import device_out, one, router
from openqms.devices.api.schemas import (
    ClassOut,
    DeviceEditIn,
    DeviceIn,
    DeviceOut,
    DevicePage,
    MarketIn,
    ReasonIn,
    RecognitionIn,
    RecognitionOut,
    RegistrationIn,
    StepIn,
    UdiIn,
)
from openqms.devices.models import CeRecognition, Device, DeviceClass, DeviceMarket
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily, ResponsiblePerson

PAGE_MAX = 200


class PageQuery(Schema):
    offset: int = 0
    limit: int = 50


def _full(devices: QuerySet[Device]) -> QuerySet[Device]:
    markets = DeviceMarket.objects.select_related("body", "certificate", "recognition")
    return devices.select_related("family", "device_class", "responsible_person").prefetch_related(
        Prefetch("markets", queryset=markets), "udis"
    )


def _device(request: AuthenticatedHttpRequest, pk: int) -> Device:
    device = access.get_device_for_user(request.user, pk)
    return _full(Device.objects.filter(pk=device.pk)).get()


def _related(body: Schema) -> dict[str, Any]:
    """The body's codes and ids turned into the records the action takes (422 if unknown)."""
    data = body.dict(exclude_unset=True)
    data.pop("reason", None)
    if "family" in data and data["family"] is not None:
        data["family"] = one(DeviceFamily.objects, "family", code=data["family"])
    if "device_class" in data and data["device_class"] is not None:
        data["device_class"] = one(DeviceClass.objects, "device_class", code=data["device_class"])
    if data.get("responsible_person") is not None:
        data["responsible_person"] = one(
            ResponsiblePerson.objects, "responsible_person", pk=data["responsible_person"]
        )
    return {k: v for k, v in data.items() if v is not None or k == "responsible_person"}


@router.get("/devices", response=DevicePage)
def device_list(request: AuthenticatedHttpRequest, page: Query[PageQuery]):
    devices = access.visible_devices(request.user).order_by("name", "model", "pk")
    limit = max(1, min(page.limit, PAGE_MAX))
    offset = max(0, page.offset)
    items = _full(devices)[offset : offset + limit]
    return {"count": devices.count(), "items": [device_out(d) for d in items]}


@router.post("/devices", response={201: DeviceOut})
def device_create(request: AuthenticatedHttpRequest, body: DeviceIn):
    device = actions.create_device(actor=request.user, **_related(body))
    return Status(201, device_out(_full(Device.objects.filter(pk=device.pk)).get()))


@router.get("/devices/{pk}", response=DeviceOut)
def device_detail(request: AuthenticatedHttpRequest, pk: int):
    return device_out(_device(request, pk))


@router.patch("/devices/{pk}", response=DeviceOut)
def device_edit(request: AuthenticatedHttpRequest, pk: int, body: DeviceEditIn):
    device = _device(request, pk)
    actions.edit_device(actor=request.user, device=device, reason=body.reason, **_related(body))
    return device_out(_device(request, pk))


@router.post("/devices/{pk}/steps/{step}", response=DeviceOut)
def device_step(request: AuthenticatedHttpRequest, pk: int, step: str, body: StepIn):
    device = _device(request, pk)
    actions.take_step(actor=request.user, device=device, step=step, on=body.on, reason=body.reason)
    return device_out(_device(request, pk))


@router.post("/devices/{pk}/registration", response=DeviceOut)
def device_registration(request: AuthenticatedHttpRequest, pk: int, body: RegistrationIn):
    device = _device(request, pk)
    actions.record_registration(actor=request.user, device=device, **body.dict())
    return device_out(_device(request, pk))


@router.post("/devices/{pk}/markets", response={201: DeviceOut})
def market_add(request: AuthenticatedHttpRequest, pk: int, body: MarketIn):
    device = _device(request, pk)
    found: dict[str, Any] = {}
    if body.body is not None:
        found["body"] = one(ApprovedBody.objects, "body", pk=body.body)
    if body.certificate is not None:
        found["certificate"] = one(Certificate.objects, "certificate", pk=body.certificate)
    if body.recognition is not None:
        found["recognition"] = one(CeRecognition.objects, "recognition", code=body.recognition)
    actions.add_market(
        actor=request.user, device=device, market=body.market, route=body.route, **found
    )
    return Status(201, device_out(_device(request, pk)))


@router.post("/devices/{pk}/markets/{market_id}/remove", response=DeviceOut)
def market_remove(request: AuthenticatedHttpRequest, pk: int, market_id: int, body: ReasonIn):
    device = _device(request, pk)
    row = access.get_market(device, market_id)
    actions.remove_market(actor=request.user, market=row, reason=body.reason)
    return device_out(_device(request, pk))


@router.post("/devices/{pk}/udis", response={201: DeviceOut})
def udi_add(request: AuthenticatedHttpRequest, pk: int, body: UdiIn):
    device = _device(request, pk)
    actions.add_udi(actor=request.user, device=device, **body.dict())
    return Status(201, device_out(_device(request, pk)))


@router.post("/devices/{pk}/udis/{udi_id}/remove", response=DeviceOut)
def udi_remove(request: AuthenticatedHttpRequest, pk: int, udi_id: int, body: ReasonIn):
    device = _device(request, pk)
    row = access.get_udi(device, udi_id)
    actions.remove_udi(actor=request.user, udi=row, reason=body.reason)
    return device_out(_device(request, pk))


@router.get("/classes", response=list[ClassOut])
def class_list(request: AuthenticatedHttpRequest):
    access.visible_devices(request.user)
    return [
        {
            "code": c.code,
            "label": c.label,
            "ivd": c.ivd,
            "psur_months": c.psur_months,
            "pmsr_months": c.pmsr_months,
            "obligation": c.obligation(),
        }
        for c in DeviceClass.objects.all()
    ]


@router.get("/ce-recognition", response=list[RecognitionOut])
def recognition_list(request: AuthenticatedHttpRequest):
    return list(CeRecognition.objects.all())


@router.put("/ce-recognition/{code}", response=RecognitionOut)
def recognition_edit(request: AuthenticatedHttpRequest, code: str, body: RecognitionIn):
    row = CeRecognition.objects.filter(code=code).first()
    if row is None:
        raise NotFound()
    return actions.edit_recognition(
        actor=request.user, recognition=row, until=body.until, reason=body.reason
    )
