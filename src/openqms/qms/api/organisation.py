"""The organisation profile over the API: read it (everyone signed in), keep it, its
market roles, sites, approved bodies and UK Responsible People (qms.organisation:manage)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema, Status

from openqms.core.access import require_or_404
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.documents.models import Document
from openqms.qms import access
from openqms.qms.actions import organisation as actions
from openqms.qms.api import router
from openqms.qms.api.auth import AUTH
from openqms.qms.models import ApprovedBody, MarketRole, Organisation, ResponsiblePerson, Site
from openqms.qms.registry import ORGANISATION

TAG = ["qms: organisation"]


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class OrganisationIn(Schema):
    legal_name: str = Field(max_length=200)
    registered_address: str = Field(max_length=1000)
    based_in_uk: bool = True
    responsible_person_id: int | None = None
    approved_body_id: int | None = None


class MarketRoleIn(Schema):
    market: str = Field(max_length=10)
    role: str = Field(max_length=20)


class MarketRoleOut(Schema):
    id: int
    market: str
    role: str
    retired_at: Any = None


class SiteIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field(max_length=1000)
    activities: str = Field("", max_length=2000)


class SiteOut(SiteIn):
    id: int
    retired_at: Any = None
    retire_reason: str = ""


class BodyIn(Schema):
    name: str = Field(max_length=200)
    number: str = Field("", max_length=20)
    kind: str = Field("uk_approved", max_length=20)
    contact_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    address: str = Field("", max_length=1000)


class BodyOut(BodyIn):
    id: int
    retired_at: Any = None
    retire_reason: str = ""


class PersonIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field(max_length=1000)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    mandate: str = Field("", max_length=50, description="The mandate document's number")


class PersonOut(Schema):
    id: int
    name: str
    address: str
    email: str
    phone: str
    mandate: str = ""
    retired_at: Any = None
    retire_reason: str = ""


class OrganisationOut(Schema):
    legal_name: str
    registered_address: str
    based_in_uk: bool
    responsible_person_id: int | None
    approved_body_id: int | None
    needs_responsible_person: bool
    market_roles: list[MarketRoleOut]
    filled_in: bool = Field(description="False until the profile is first saved (blank fields)")


def _person_out(p: ResponsiblePerson) -> dict[str, Any]:
    return {**vars(p), "mandate": p.mandate.number if p.mandate_id else ""}  # type: ignore[union-attr]


def _organisation_out(profile: Organisation) -> dict[str, Any]:
    return {
        **{k: getattr(profile, k) for k in OrganisationIn.model_fields},
        "needs_responsible_person": profile.needs_responsible_person,
        "market_roles": list(MarketRole.objects.filter(retired_at__isnull=True)),
        "filled_in": profile.pk is not None,
    }


@router.get("/organisation", response={200: OrganisationOut}, tags=TAG, auth=AUTH)
def organisation_read(request: AuthenticatedHttpRequest):
    # A new instance has no profile yet: the blank one, not a 404 (nothing is missing).
    return _organisation_out(Organisation.objects.first() or Organisation())


@router.put("/organisation", response=OrganisationOut, tags=TAG, auth=AUTH)
def organisation_save(request: AuthenticatedHttpRequest, body: OrganisationIn):
    require_or_404(request.user, ORGANISATION)
    person = body_ = None
    if body.responsible_person_id is not None:
        person = access.get_responsible_person_for_user(request.user, body.responsible_person_id)
    if body.approved_body_id is not None:
        body_ = access.get_body_for_user(request.user, body.approved_body_id)
    profile = actions.save_organisation(
        actor=request.user,
        legal_name=body.legal_name,
        registered_address=body.registered_address,
        based_in_uk=body.based_in_uk,
        responsible_person=person,
        approved_body=body_,
    )
    return _organisation_out(profile)


@router.post("/organisation/market-roles", response={201: MarketRoleOut}, tags=TAG, auth=AUTH)
def market_role_add(request: AuthenticatedHttpRequest, body: MarketRoleIn):
    require_or_404(request.user, ORGANISATION)
    return Status(201, actions.add_market_role(actor=request.user, **body.dict()))


@router.post("/organisation/market-roles/{pk}/retire", response=MarketRoleOut, tags=TAG, auth=AUTH)
def market_role_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    held = access.get_market_role_for_user(request.user, pk, need=ORGANISATION)
    return actions.retire_market_role(actor=request.user, market_role=held, reason=body.reason)


@router.get("/sites", response=list[SiteOut], tags=TAG, auth=AUTH)
def site_list(request: AuthenticatedHttpRequest):
    return list(Site.objects.all())


@router.post("/sites", response={201: SiteOut}, tags=TAG, auth=AUTH)
def site_create(request: AuthenticatedHttpRequest, body: SiteIn):
    require_or_404(request.user, ORGANISATION)
    return Status(201, actions.save_site(actor=request.user, **body.dict()))


@router.put("/sites/{pk}", response=SiteOut, tags=TAG, auth=AUTH)
def site_edit(request: AuthenticatedHttpRequest, pk: int, body: SiteIn):
    site = access.get_site_for_user(request.user, pk, need=ORGANISATION)
    return actions.save_site(actor=request.user, site=site, **body.dict())


@router.post("/sites/{pk}/retire", response=SiteOut, tags=TAG, auth=AUTH)
def site_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    site = access.get_site_for_user(request.user, pk, need=ORGANISATION)
    return actions.retire_site(actor=request.user, site=site, reason=body.reason)


@router.get("/approved-bodies", response=list[BodyOut], tags=TAG, auth=AUTH)
def body_list(request: AuthenticatedHttpRequest):
    return list(ApprovedBody.objects.all())


@router.post("/approved-bodies", response={201: BodyOut}, tags=TAG, auth=AUTH)
def body_create(request: AuthenticatedHttpRequest, body: BodyIn):
    require_or_404(request.user, ORGANISATION)
    return Status(201, actions.save_body(actor=request.user, **body.dict()))


@router.put("/approved-bodies/{pk}", response=BodyOut, tags=TAG, auth=AUTH)
def body_edit(request: AuthenticatedHttpRequest, pk: int, body: BodyIn):
    found = access.get_body_for_user(request.user, pk, need=ORGANISATION)
    return actions.save_body(actor=request.user, body=found, **body.dict())


@router.post("/approved-bodies/{pk}/retire", response=BodyOut, tags=TAG, auth=AUTH)
def body_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    found = access.get_body_for_user(request.user, pk, need=ORGANISATION)
    return actions.retire_body(actor=request.user, body=found, reason=body.reason)


def _mandate(number: str) -> Document | None:
    if not number:
        return None
    document = Document.objects.filter(number=number).first()
    if document is None:
        raise InvalidInput("There is no document with that number.", fields={"mandate": "Unknown."})
    return document


@router.get("/responsible-persons", response=list[PersonOut], tags=TAG, auth=AUTH)
def person_list(request: AuthenticatedHttpRequest):
    return [_person_out(p) for p in ResponsiblePerson.objects.select_related("mandate")]


@router.post("/responsible-persons", response={201: PersonOut}, tags=TAG, auth=AUTH)
def person_create(request: AuthenticatedHttpRequest, body: PersonIn):
    require_or_404(request.user, ORGANISATION)
    data = body.dict()
    mandate = _mandate(data.pop("mandate"))
    person = actions.save_responsible_person(actor=request.user, mandate=mandate, **data)
    return Status(201, _person_out(person))


@router.put("/responsible-persons/{pk}", response=PersonOut, tags=TAG, auth=AUTH)
def person_edit(request: AuthenticatedHttpRequest, pk: int, body: PersonIn):
    found = access.get_responsible_person_for_user(request.user, pk, need=ORGANISATION)
    data = body.dict()
    mandate = _mandate(data.pop("mandate"))
    person = actions.save_responsible_person(
        actor=request.user, person=found, mandate=mandate, **data
    )
    return _person_out(person)


@router.post("/responsible-persons/{pk}/retire", response=PersonOut, tags=TAG, auth=AUTH)
def person_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    found = access.get_responsible_person_for_user(request.user, pk, need=ORGANISATION)
    person = actions.retire_responsible_person(actor=request.user, person=found, reason=body.reason)
    return _person_out(person)
