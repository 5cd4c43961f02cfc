"""The JSON API at /api/v1/ (OpenAPI 3 at /api/v1/openapi.json).

Every module's router is mounted from its module.py (see openqms.core.modules). Errors
are JSON with a stable `code`, a `message` and, for invalid input (422), the `fields` at
fault; bad input never gives a 500.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.module_loading import import_string
from ninja.errors import AuthenticationError, HttpError, ValidationError

from openqms import __version__
from openqms.core import modules
from openqms.core.api import BearerToken, OpenQMSAPI, SessionAuth, api_docs_access
from openqms.core.errors import DomainError

api = OpenQMSAPI(
    title="OpenQMS API",
    version=__version__,  # the OpenAPI document's info.version; the paths say /api/v1/
    description="Send `Authorization: Bearer <token>` (create one with `openqms token create "
    "USERNAME` or on your profile page), or use a signed-in browser session.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=api_docs_access,
)
for prefix, router in modules.api_routers():
    api.add_router(prefix, import_string(router))


def _error(request: HttpRequest, status: int, code: str, message: str, fields=None):
    body = {"code": code, "message": message, "fields": fields or {}}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    fields = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        fields[".".join(loc) or "body"] = error.get("msg", "invalid")
    return _error(request, 422, "invalid_input", "The request has invalid fields.", fields)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return _error(
        request,
        401,
        "not_authenticated",
        "Sign in, or send a valid bearer token that has not been revoked.",
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(DataError)
def unstorable_input(request, exc):
    # e.g. a NUL character, which PostgreSQL text cannot hold; the transaction rolled back.
    return _error(
        request,
        422,
        "invalid_input",
        "The request holds characters or values the database cannot store.",
    )


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    return _error(
        request, 413, "too_large", "The request body is larger than this instance accepts."
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))
