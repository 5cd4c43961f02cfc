"""Design configuration over the API (/api/v1/design/config…): item types, link rules and
gap rules, and the links the rules no longer allow. Reading needs design.config:manage
(404 otherwise, as the page); a change by anyone else is refused by the action (403
permission_refused). The same actions as the page (design.actions.config)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema, Status

from openqms.core.api import MEMBERS
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access
from openqms.design.actions import config as actions
from openqms.design.api import router
from openqms.design.models import CoverageRule, ItemType, LinkRule
from openqms.design.registry import CONFIGURE

TAG = ["design: config"]
AUTH = MEMBERS
SHOWN_LINKS = 200


class TypeOut(Schema):
    code: str
    name: str
    prefix: str
    level: int
    needs_evidence: bool
    active: bool


class TypeIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=20)
    level: int = Field(ge=0, le=100)
    needs_evidence: bool = False


class TypeEdit(Schema):
    name: str = Field(max_length=100)
    level: int = Field(ge=0, le=100)
    needs_evidence: bool
    reason: str = Field(max_length=500)
    code: str | None = Field(None, max_length=40, description="Only while no item has the type")
    prefix: str | None = Field(None, max_length=20, description="Only while no item has it")


class LinkRuleOut(Schema):
    id: int
    source_type: str
    kind: str
    target_type: str


class LinkRuleIn(Schema):
    source_type: str = Field(max_length=40, description="An item type's code")
    kind: str = Field(max_length=20)
    target_type: str = Field(max_length=40, description="An item type's code")


class GapRuleOut(Schema):
    code: str
    item_type: str
    accepts: list[list[str]] = Field(description="[[kind, source type code], …]")
    verified: bool
    message: str
    active: bool


class GapRuleEdit(Schema):
    item_type: str = Field(max_length=40)
    accepts: list[list[str]] = Field(max_length=50)
    verified: bool = False
    message: str = Field(max_length=200)
    reason: str = Field(max_length=500)


class GapRuleIn(Schema):
    code: str = Field(max_length=60)
    item_type: str = Field(max_length=40)
    accepts: list[list[str]] = Field(max_length=50)
    verified: bool = False
    message: str = Field(max_length=200)


class LinkOut(Schema):
    id: int
    project: str
    source: str
    kind: str
    target: str


class ConfigOut(Schema):
    item_types: list[TypeOut]
    link_rules: list[LinkRuleOut]
    gap_rules: list[GapRuleOut]
    links_not_allowed_count: int
    links_not_allowed: list[LinkOut] = Field(description=f"The first {SHOWN_LINKS}")


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class RetiredLinkRule(Schema):
    links_not_allowed_count: int


def _type_row(kind: ItemType) -> dict[str, Any]:
    fields = ("code", "name", "prefix", "level", "needs_evidence", "active")
    return {f: getattr(kind, f) for f in fields}


def _link_rule_row(rule: LinkRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "source_type": rule.source_type.code,
        "kind": rule.kind,
        "target_type": rule.target_type.code,
    }


def _gap_rule_row(rule: CoverageRule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "item_type": rule.item_type.code,
        "accepts": rule.accepts,
        "verified": rule.verified,
        "message": rule.message,
        "active": rule.active,
    }


def _one(queryset: Any, request: AuthenticatedHttpRequest, **lookup: Any) -> Any:
    access.need(request.user, CONFIGURE)
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound()
    return found


@router.get("/config", response=ConfigOut, tags=TAG, auth=AUTH)
def config_read(request: AuthenticatedHttpRequest):
    access.need(request.user, CONFIGURE)
    disallowed = actions.disallowed_links()
    return {
        "item_types": [_type_row(t) for t in ItemType.objects.all()],
        "link_rules": [
            _link_rule_row(r)
            for r in LinkRule.objects.select_related("source_type", "target_type").order_by("pk")
        ],
        "gap_rules": [_gap_rule_row(r) for r in CoverageRule.objects.select_related("item_type")],
        "links_not_allowed_count": disallowed.count(),
        "links_not_allowed": [
            {
                "id": link.pk,
                "project": link.project.name,
                "source": link.source.uid,
                "kind": link.kind,
                "target": link.target.uid,
            }
            for link in disallowed[:SHOWN_LINKS]
        ],
    }


@router.post("/config/item-types", response={201: TypeOut}, tags=TAG, auth=AUTH)
def item_type_add(request: AuthenticatedHttpRequest, body: TypeIn):
    access.need(request.user, CONFIGURE)
    made = actions.add_item_type(actor=request.user, **body.dict())
    return Status(201, _type_row(made))


@router.patch("/config/item-types/{code}", response=TypeOut, tags=TAG, auth=AUTH)
def item_type_edit(request: AuthenticatedHttpRequest, code: str, body: TypeEdit):
    kind = _one(ItemType.objects.all(), request, code=code)
    data = body.dict()
    data["code"] = data["code"] if data["code"] is not None else kind.code
    data["prefix"] = data["prefix"] if data["prefix"] is not None else kind.prefix
    return _type_row(actions.edit_item_type(actor=request.user, item_type=kind, **data))


@router.post("/config/item-types/{code}/retire", response=TypeOut, tags=TAG, auth=AUTH)
def item_type_retire(request: AuthenticatedHttpRequest, code: str, body: ReasonIn):
    kind = _one(ItemType.objects.all(), request, code=code)
    return _type_row(actions.retire_item_type(actor=request.user, item_type=kind, **body.dict()))


@router.post("/config/link-rules", response={201: LinkRuleOut}, tags=TAG, auth=AUTH)
def link_rule_add(request: AuthenticatedHttpRequest, body: LinkRuleIn):
    access.need(request.user, CONFIGURE)
    made = actions.add_link_rule(actor=request.user, **body.dict())
    return Status(201, _link_rule_row(made))


@router.post("/config/link-rules/{pk}/retire", response=RetiredLinkRule, tags=TAG, auth=AUTH)
def link_rule_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    rule = _one(LinkRule.objects.all(), request, pk=pk)
    left = actions.retire_link_rule(actor=request.user, rule=rule, **body.dict())
    return {"links_not_allowed_count": left}


@router.post("/config/gap-rules", response={201: GapRuleOut}, tags=TAG, auth=AUTH)
def gap_rule_add(request: AuthenticatedHttpRequest, body: GapRuleIn):
    access.need(request.user, CONFIGURE)
    made = actions.add_gap_rule(actor=request.user, **body.dict())
    return Status(201, _gap_rule_row(made))


@router.patch("/config/gap-rules/{code}", response=GapRuleOut, tags=TAG, auth=AUTH)
def gap_rule_edit(request: AuthenticatedHttpRequest, code: str, body: GapRuleEdit):
    rule = _one(CoverageRule.objects.select_related("item_type"), request, code=code)
    return _gap_rule_row(actions.edit_gap_rule(actor=request.user, rule=rule, **body.dict()))


@router.post("/config/gap-rules/{code}/retire", response=GapRuleOut, tags=TAG, auth=AUTH)
def gap_rule_retire(request: AuthenticatedHttpRequest, code: str, body: ReasonIn):
    rule = _one(CoverageRule.objects.select_related("item_type"), request, code=code)
    return _gap_rule_row(actions.retire_gap_rule(actor=request.user, rule=rule, **body.dict()))
