"""Device families: list, define, edit, retire."""

from __future__ import annotations

from ninja import Schema, Status

from openqms.core.api import MEMBERS
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.qms.actions import families as actions
from openqms.qms.api import router
from openqms.qms.models import DeviceFamily


class FamilyIn(Schema):
    code: str
    name: str
    description: str = ""


class FamilyRetireIn(Schema):
    reason: str


class FamilyOut(Schema):
    id: int
    code: str
    name: str
    description: str
    retired: bool
    retire_reason: str


def _family(code: str) -> DeviceFamily:
    family = DeviceFamily.objects.filter(code=code).first()
    if family is None:
        raise NotFound()
    return family


@router.get("/families", response=list[FamilyOut], tags=["qms"], auth=MEMBERS)
def family_list(request: AuthenticatedHttpRequest):
    return list(DeviceFamily.objects.order_by("code"))


@router.post("/families", response={201: FamilyOut}, tags=["qms"], auth=MEMBERS)
def family_create(request: AuthenticatedHttpRequest, body: FamilyIn):
    return Status(201, actions.create_family(actor=request.user, **body.dict()))


@router.get("/families/{code}", response=FamilyOut, tags=["qms"], auth=MEMBERS)
def family_detail(request: AuthenticatedHttpRequest, code: str):
    return _family(code)


@router.put("/families/{code}", response=FamilyOut, tags=["qms"], auth=MEMBERS)
def family_edit(request: AuthenticatedHttpRequest, code: str, body: FamilyIn):
    return actions.edit_family(actor=request.user, family=_family(code), **body.dict())


@router.post("/families/{code}/retire", response=FamilyOut, tags=["qms"], auth=MEMBERS)
def family_retire(request: AuthenticatedHttpRequest, code: str, body: FamilyRetireIn):
    return actions.retire_family(actor=request.user, family=_family(code), reason=body.reason)
