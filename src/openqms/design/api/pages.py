"""Design projects, items and links over the API (/api/v1/design/…): the same actions as
the pages; records through design.access (404 for missing and forbidden); an edit sends
the version it was based on (409 when the item changed since), why, and after release
the design change it is part of; a suspect link is signed
still valid with the password and the content hash read from GET /links/{id}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from ninja import Field, Query, Schema, Status

from openqms.core.api import MEMBERS, SignatureIn, signatures_out
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.design import access
from openqms.design.actions import items as actions
from openqms.design.api import router
from openqms.design.models import DesignChange, DesignProject, Item, Link, LinkKind
from openqms.design.views.items import filtered_items, item_by_uid
from openqms.design.views.pages import projects_with_counts
from openqms.devices.access import visible_devices
from openqms.documents.access import visible_documents

AUTH = MEMBERS
MAX_ID = 2**31 - 1  # the database's integer: a larger id is refused (422), never a 500


def record_id(description: str) -> Any:
    return Field(None, ge=1, le=MAX_ID, description=description)


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class ItemQuery(PageQuery):
    type: str = Field("", max_length=40, description="An item type's code (design_input)")
    state: str = Field("", max_length=10, description="active or retired")
    q: str = Field("", max_length=100, description="Text in the ID or the title")
    gaps: bool = Field(False, description="Only items with open gaps")
    suspect: bool = Field(False, description="Only items with suspect links")


class ProjectIn(Schema):
    name: str = Field(max_length=100)
    title: str = Field("", max_length=200)
    device: int | None = record_id("A device's id")
    development_plan: int | None = record_id("A controlled document's id")


class ProjectOut(Schema):
    id: int
    name: str
    title: str
    device_id: int | None
    development_plan_id: int | None
    current_baseline_id: int | None
    item_count: int
    gap_count: int
    suspect_count: int
    created_at: dt.datetime


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_offset: int | None


class ItemIn(Schema):
    uid: str = Field(max_length=100)
    item_type: str = Field(max_length=40)
    title: str = Field("", max_length=300)
    text: str = Field("", max_length=100_000)
    attributes: dict[str, str] = Field(default_factory=dict)
    change: int | None = Field(
        None,
        description="The id of the approved design change this is part of: required once "
        "the project's current baseline is signed (ISO 13485 7.3.9)",
    )


class ItemEdit(Schema):
    title: str = Field(max_length=300)
    text: str = Field(max_length=100_000)
    attributes: dict[str, str] | None = None
    based_on: int = Field(ge=1, le=MAX_ID, description="The version you edited (409 if stale)")
    reason: str = Field(max_length=500, description="Why: kept in the item's history")
    change: int | None = record_id(
        "An open design change of the project this edit is part of (required after release)"
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class ReasonChangeIn(ReasonIn):
    change: int | None = Field(
        None,
        description="The id of the approved design change naming the item: required once "
        "the project's current baseline is signed (ISO 13485 7.3.9)",
    )


class ItemOut(Schema):
    id: int
    project_id: int
    uid: str
    item_type: str
    title: str
    text: str
    attributes: dict[str, Any]
    version: int
    state: str
    has_gaps: bool
    has_suspect: bool
    updated_at: dt.datetime


class ItemPage(Schema):
    items: list[ItemOut]
    next_offset: int | None


class LinkIn(Schema):
    kind: LinkKind
    other: str = Field(max_length=100, description="The other item's ID (uid)")
    direction: str = Field("out", pattern="^(in|out)$", description="out: this item → other")
    change: int | None = Field(
        None,
        description="The id of the approved design change this is part of: required once "
        "the project's current baseline is signed (ISO 13485 7.3.9)",
    )


class LinkOut(Schema):
    id: int
    source: str
    kind: str
    target: str
    source_version: int
    target_version: int
    state: str
    suspect_since: dt.datetime | None
    changed_end: str
    changed_from: int | None = Field(
        description="The changed end's version when the link was last valid (while suspect)"
    )


class LinkDetail(LinkOut):
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    signatures: list[dict[str, Any]]


def _project(request: AuthenticatedHttpRequest, pk: int) -> DesignProject:
    return access.get_for_user(request.user, projects_with_counts(DesignProject.objects.all()), pk)


def _item_row(item: Item) -> dict[str, Any]:
    fields = {f: getattr(item, f) for f in ItemOut.model_fields if f != "item_type"}
    return fields | {"item_type": item.item_type.code}


def _item(request: AuthenticatedHttpRequest, pk: int) -> Item:
    item = access.get_for_user(request.user, Item.objects.all(), pk)
    return filtered_items(item.project, {}).get(pk=pk)


def _link_row(link: Link) -> dict[str, Any]:
    fields = {f: getattr(link, f) for f in LinkOut.model_fields if f not in ("source", "target")}
    return fields | {"source": link.source.uid, "target": link.target.uid}


def _link(request: AuthenticatedHttpRequest, pk: int) -> Link:
    return access.get_for_user(request.user, Link.objects.select_related("source", "target"), pk)


def _link_detail(link: Link) -> dict[str, Any]:
    return _link_row(link) | {
        "content_sha256": content_hash(link.signature_content()),
        "signatures": signatures_out(link),
    }


def _one(queryset: Any, pk: int | None, what: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(f"There is no {what} {pk} you can open.", fields={what: "?"})
    return found


@router.get("/projects", response=ProjectPage, auth=AUTH)
def project_list(request: AuthenticatedHttpRequest, q: Query[PageQuery]):
    found = projects_with_counts(access.visible(request.user, DesignProject.objects.all()))
    page = list(found.order_by("name")[q.offset : q.offset + q.limit + 1])
    more = len(page) > q.limit
    return {"items": page[: q.limit], "next_offset": q.offset + q.limit if more else None}


@router.post("/projects", response={201: ProjectOut}, auth=AUTH)
def project_create(request: AuthenticatedHttpRequest, body: ProjectIn):
    access.need(request.user, None)
    made = actions.create_project(
        actor=request.user,
        name=body.name,
        title=body.title,
        device=_one(visible_devices(request.user), body.device, "device"),
        development_plan=_one(
            visible_documents(request.user), body.development_plan, "development_plan"
        ),
    )
    return Status(201, _project(request, made.pk))


@router.get("/projects/{pk}", response=ProjectOut, auth=AUTH)
def project_read(request: AuthenticatedHttpRequest, pk: int):
    return _project(request, pk)


@router.get("/projects/{pk}/items", response=ItemPage, auth=AUTH)
def item_list(request: AuthenticatedHttpRequest, pk: int, q: Query[ItemQuery]):
    project = _project(request, pk)
    found = filtered_items(project, q.dict())
    page = list(found[q.offset : q.offset + q.limit + 1])
    more = len(page) > q.limit
    return {
        "items": [_item_row(i) for i in page[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


@router.post("/projects/{pk}/items", response={201: ItemOut}, auth=AUTH)
def item_create(request: AuthenticatedHttpRequest, pk: int, body: ItemIn):
    made = actions.create_item(
        actor=request.user,
        project=_project(request, pk),
        uid=body.uid,
        item_type=body.item_type,
        title=body.title,
        text_=body.text,
        attributes=body.attributes,
        change=body.change,
    )
    return Status(201, _item_row(_item(request, made.pk)))


@router.get("/items/{pk}", response=ItemOut, auth=AUTH)
def item_read(request: AuthenticatedHttpRequest, pk: int):
    return _item_row(_item(request, pk))


@router.patch("/items/{pk}", response=ItemOut, auth=AUTH)
def item_edit(request: AuthenticatedHttpRequest, pk: int, body: ItemEdit):
    item = _item(request, pk)
    changes = access.visible(request.user, DesignChange.objects.filter(project=item.project))
    actions.edit_item(
        actor=request.user,
        item=item,
        title=body.title,
        text_=body.text,
        attributes=body.attributes,
        based_on=body.based_on,
        reason=body.reason,
        change=_one(changes, body.change, "change"),
    )
    return _item_row(_item(request, pk))


@router.post("/items/{pk}/retire", response=ItemOut, auth=AUTH)
def item_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonChangeIn):
    actions.retire_item(
        actor=request.user, item=_item(request, pk), reason=body.reason, change=body.change
    )
    return _item_row(_item(request, pk))


@router.get("/items/{pk}/links", response=list[LinkOut], auth=AUTH)
def link_list(request: AuthenticatedHttpRequest, pk: int):
    item = _item(request, pk)
    links = Link.objects.filter(Q(source=item) | Q(target=item)).select_related("source", "target")
    return [_link_row(link) for link in links.order_by("pk")]


@router.post("/items/{pk}/links", response={201: LinkDetail}, auth=AUTH)
def link_add(request: AuthenticatedHttpRequest, pk: int, body: LinkIn):
    item = _item(request, pk)
    other = item_by_uid(item.project, body.other)
    source, target = (item, other) if body.direction == "out" else (other, item)
    made = actions.link_items(
        actor=request.user, source=source, kind=body.kind, target=target, change=body.change
    )
    return Status(201, _link_detail(_link(request, made.pk)))


@router.get("/links/{pk}", response=LinkDetail, auth=AUTH)
def link_read(request: AuthenticatedHttpRequest, pk: int):
    return _link_detail(_link(request, pk))


@router.delete("/links/{pk}", response={204: None}, auth=AUTH)
def link_remove(request: AuthenticatedHttpRequest, pk: int, body: ReasonChangeIn):
    actions.unlink_items(
        actor=request.user, link=_link(request, pk), reason=body.reason, change=body.change
    )
    return Status(204, None)


@router.post("/links/{pk}/clear", response=LinkDetail, auth=AUTH)
def link_clear(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    actions.clear_suspect(
        actor=request.user,
        link=_link(request, pk),
        credentials=body.credentials(),
        comment=body.reason,
    )
    return _link_detail(_link(request, pk))
