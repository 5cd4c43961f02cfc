"""Core endpoints: the current user, the audit trail and chain, users, roles, tokens."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.security import APIKeyCookie, HttpBearer

from openqms import __version__
from openqms.core import access, actions, audit, chain, trail
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import ApiToken, Role, RoleAssignment, User
from openqms.core.registry import ROLE_MANAGE, USER_MANAGE
from openqms.core.signatures import Credentials, Signable, manifestations
from openqms.core.signing import signer_credentials

router = Router()


# -- authentication -----------------------------------------------------------------------


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = actions.token_for_plaintext(token)
        if found is None:
            return None
        request.user = found.user
        # Every event this request writes names the token that acted (see audit.Origin).
        audit.set_origin(
            dataclasses.replace(audit.current_origin(), token=f"#{found.pk} {found.prefix}")
        )
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser session; unsafe methods also need the CSRF token, as in the pages."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if access.second_factor_missing(user, request.session):
            return None  # a role requires a second factor: enrol in the pages first
        return user


class _Members:
    """Someone with no role at all meets the same 404 on every endpoint, before their
    input is even read (ninja answers errors raised while authenticating)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)  # type: ignore[misc]
        if user is not None:
            access.require_member(user)
        return user


class MembersBearerToken(_Members, BearerToken):
    pass


class MembersSessionAuth(_Members, SessionAuth):
    pass


# ninja names a security scheme after its class: keep the plain names, so the OpenAPI
# document shows the same two schemes for every router.
MembersBearerToken.__name__ = "BearerToken"
MembersSessionAuth.__name__ = "SessionAuth"
MEMBERS = [MembersBearerToken(), MembersSessionAuth()]
"""The readers-only auth pair for module routers: signed in *and* holding a role."""


def _api_client(request: HttpRequest) -> User | None:
    """The user behind a bearer token or a signed-in session, or None."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return BearerToken().authenticate(request, header[7:].strip())
    return SessionAuth().authenticate(request, None)


def api_docs_access(view):
    """The OpenAPI document and its viewer: for API clients (a bearer token or a session);
    anyone else gets the API's JSON 401, never an HTML redirect to the sign-in page."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if _api_client(request) is None:
            return JsonResponse(
                {
                    "code": "not_authenticated",
                    "message": "Sign in, or send a valid bearer token.",
                    "fields": {},
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapped


ERRORS = {
    "400": "Bad request: the body could not be read",
    "401": "Not authenticated: no session and no valid bearer token",
    "403": "Refused: a permission, a password or a second factor is missing",
    "404": "Not found, or not visible to you (the two look the same)",
    "409": "Conflict: the record's state does not allow this step now",
    "413": "The request body is larger than this instance accepts",
    "422": "Invalid input: `fields` names each field at fault",
    "429": "Too many attempts: wait and try again",
}
_ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {"type": "string", "description": "Stable error code"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


class OpenQMSAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the JSON error shape on every operation
    (one place, so a new endpoint cannot forget it)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


# -- schemas ------------------------------------------------------------------------------


class RoleOut(Schema):
    code: str
    name: str
    description: str
    permissions: list[str]
    requires_second_factor: bool


class UserOut(Schema):
    username: str
    full_name: str
    email: str
    is_active: bool
    locked: bool
    roles: list[str]
    date_joined: dt.datetime


class MeOut(UserOut):
    permissions: list[str]
    second_factor: bool


class VersionOut(Schema):
    openqms: str = Field(description="The OpenQMS version this instance runs")
    api: str = Field(description="The API version (the /api/v1/ in every path)")


class UserIn(Schema):
    username: str = Field(min_length=2, max_length=63)
    full_name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    password: str = Field(min_length=1, max_length=256)
    roles: list[str] = []
    reason: str = Field("New user", max_length=1000)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class GrantIn(ReasonIn):
    role: str = Field(min_length=1, max_length=50)


class EventOut(Schema):
    seq: int
    at: str
    at_local: str = Field(description="The time in the instance's time zone, the zone named")
    actor_id: int | None
    actor_name: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    record: str = Field(
        description="The record as people name it; “Record you cannot open” (and no "
        "changes, reason, address or user agent) for a record you may not open"
    )
    changes: dict[str, Any] = Field(
        description="{field: [old, new]}; a health-data field's values read “Health data — "
        "hidden” unless you hold core.health_data:read (then your read is recorded)"
    )
    reason: str
    ip: str
    user_agent: str
    prev_hash: str = Field(description="“withheld” when changes are hidden from you")
    hash: str = Field(description="“withheld” when changes are hidden from you")


class EventPage(Schema):
    items: list[EventOut]
    next_before: int | None = Field(None, description="Pass as `before` for the next page")


class EventQuery(Schema):
    object_type: str = ""
    object_id: str = ""
    user: str = Field("", description="Who acted: a username or part of a name")
    record: str = Field("", description="What about: a document number or title, a person")
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    before: int | None = Field(None, ge=1)
    limit: int = Field(50, ge=1, le=500)


class ChainOut(Schema):
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    broken_seq: int | None
    problem: str


class SignatureIn(Schema):
    """What a signer sends to sign through the API: the password again, the code if enrolled."""

    password: str = Field(min_length=1, max_length=256)
    otp_code: str = Field("", max_length=20)
    reason: str = Field("", max_length=1000)
    content_hash: str = Field(
        "",
        max_length=64,
        description="The content SHA-256 you reviewed; if the record "
        "changed since, nothing is signed (409)",
    )

    def credentials(self) -> Credentials:
        # A person signing through the API sends the content hash they were shown.
        return signer_credentials(
            password=self.password, otp_code=self.otp_code, content_hash=self.content_hash
        )


class SignatureOut(Schema):
    """A signature's manifestation (21 CFR 11.50), as every module's API shows it."""

    printed_name: str
    signed_at: dt.datetime
    meaning: str
    meaning_label: str
    valid: bool
    problem: str = Field(description="Why the signature no longer stands; empty if valid")


def signatures_out(obj: Signable) -> list[dict[str, Any]]:
    """The manifestations of `obj`'s current version, for a `list[SignatureOut]` field."""
    return [vars(m) for m in manifestations(obj)]


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    otp_code: str = Field(
        "", max_length=20, description="Required when a second factor is enrolled"
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="Shown once; only its SHA-256 is stored")


def _user_out(user: User) -> dict[str, Any]:
    grants = getattr(user, "current_grants", None)
    if grants is None:
        grants = RoleAssignment.objects.current().filter(user=user).select_related("role")
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_active": user.is_active,
        "locked": user.is_locked(),
        "roles": sorted(g.role.code for g in grants),
        "date_joined": user.date_joined,
    }


def _role(code: str) -> Role:
    role = Role.objects.filter(code=code).first()
    if role is None:
        raise InvalidInput(f"There is no role “{code}”.", fields={"role": "Unknown role."})
    return role


# -- endpoints ----------------------------------------------------------------------------


@router.get("/me", response=MeOut, tags=["me"])
def me(request: AuthenticatedHttpRequest):
    user = request.user
    return {
        **_user_out(user),
        "permissions": sorted(access.permissions_of(user)),
        "second_factor": actions.has_second_factor(user),
    }


@router.get("/version", response=VersionOut, tags=["me"])
def version(request: AuthenticatedHttpRequest):
    """Which OpenQMS this is: an installation's validation record names it."""
    return {"openqms": __version__, "api": "1"}


@router.get("/audit/events", response=EventPage, tags=["audit"])
def audit_events(request: AuthenticatedHttpRequest, q: Query[EventQuery]):
    events = access.audit_events_for_user(request.user)
    event_filter = trail.EventFilter(
        object_type=q.object_type,
        object_id=q.object_id,
        username=q.user,
        record=q.record,
        action=q.action,
        since=q.since,
        until=q.until,
    )
    found, older = trail.page(
        event_filter.apply(events, request.user), before=q.before, size=q.limit
    )
    rows = trail.rows_for(request.user, found)  # health data masked, or its reads recorded
    items = [trail.as_record(r.event, r.record, r.masked) for r in rows]
    return {"items": items, "next_before": older}


@router.get("/audit/chain", response=ChainOut, tags=["audit"])
def audit_chain(request: AuthenticatedHttpRequest):
    access.audit_events_for_user(request.user)
    return chain.verify_chain().as_dict()


def _current_grants() -> Prefetch:
    grants = RoleAssignment.objects.current().select_related("role")
    return Prefetch("role_assignments", queryset=grants, to_attr="current_grants")


def _managed_user(request: AuthenticatedHttpRequest, username: str) -> User:
    return access.get_user_for_user(request.user, username, need=USER_MANAGE)


@router.get("/users", response=list[UserOut], tags=["users"])
def user_list(
    request: AuthenticatedHttpRequest,
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(100, ge=1, le=500),
):
    if not access.has_permission(request.user, USER_MANAGE):
        raise NotFound()
    users = User.objects.order_by("username").prefetch_related(_current_grants())
    return [_user_out(u) for u in users[offset : offset + limit]]


@router.post("/users", response={201: UserOut}, tags=["users"])
def user_create(request: AuthenticatedHttpRequest, body: UserIn):
    if not access.has_permission(request.user, USER_MANAGE):
        raise NotFound()
    roles = [_role(code) for code in body.roles]
    user = actions.create_user(
        actor=request.user,
        username=body.username,
        full_name=body.full_name,
        email=body.email,
        password=body.password,
        roles=roles,
        reason=body.reason,
    )
    return Status(201, _user_out(user))


@router.get("/users/{username}", response=UserOut, tags=["users"])
def user_detail(request: AuthenticatedHttpRequest, username: str):
    return _user_out(_managed_user(request, username))


@router.post("/users/{username}/roles", response=UserOut, tags=["users"])
def role_grant(request: AuthenticatedHttpRequest, username: str, body: GrantIn):
    user = _managed_user(request, username)
    actions.grant_role(actor=request.user, user=user, role=_role(body.role), reason=body.reason)
    return _user_out(user)


@router.post("/users/{username}/roles/{role}/revoke", response=UserOut, tags=["users"])
def role_revoke(request: AuthenticatedHttpRequest, username: str, role: str, body: ReasonIn):
    user = _managed_user(request, username)
    actions.revoke_role(actor=request.user, user=user, role=_role(role), reason=body.reason)
    return _user_out(user)


_USER_STEPS = {
    "deactivate": actions.deactivate_user,
    "reactivate": actions.reactivate_user,
    "unlock": actions.unlock_user,
}


@router.post("/users/{username}/{step}", response=UserOut, tags=["users"])
def user_step(request: AuthenticatedHttpRequest, username: str, step: str, body: ReasonIn):
    """`step` is one of deactivate, reactivate, unlock."""
    user = _managed_user(request, username)
    if step not in _USER_STEPS:
        raise NotFound()
    user = _USER_STEPS[step](actor=request.user, user=user, reason=body.reason)
    return _user_out(user)


@router.get("/roles", response=list[RoleOut], tags=["users"])
def role_list(request: AuthenticatedHttpRequest):
    if not access.has_permission(request.user, ROLE_MANAGE):
        raise NotFound()
    return list(Role.objects.order_by("code"))


@router.get("/tokens", response=list[TokenOut], tags=["me"])
def token_list(request: AuthenticatedHttpRequest):
    return list(ApiToken.objects.filter(user=request.user))


@router.post("/tokens", response={201: TokenCreated}, tags=["me"])
def token_create(request: AuthenticatedHttpRequest, body: TokenIn):
    token, plaintext = actions.create_api_token(
        actor=request.user, user=request.user, name=body.name, otp_code=body.otp_code
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": plaintext})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, tags=["me"])
def token_revoke(request: AuthenticatedHttpRequest, token_id: int):
    token = access.get_token_for_user(request.user, token_id)
    return actions.revoke_api_token(actor=request.user, token=token)


# Retention, legal holds and dispositions (ISO 13485 4.2.5): their own file, mounted here.
router.add_router("/retention", "openqms.core.api_retention.router")
