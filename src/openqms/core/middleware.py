"""Request middleware: sign-in required everywhere, request origin for the audit trail,
enforced second factor, and the Content Security Policy header."""

from __future__ import annotations

import ipaddress
import json
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from openqms.core import actions, audit
from openqms.core.access import second_factor_missing
from openqms.core.text import UNSTORABLE_MESSAGE, unstorable_at


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Nothing but the sign-in pages is reachable without signing in.

    The JSON API answers 401 itself (session or bearer token), so it is not redirected.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.FORWARDED_ALLOW_IPS)


def _client_ip(request) -> str:
    """The address the request came from, for the audit trail and the throttle.

    X-Forwarded-For is believed only from the proxies in OPENQMS_FORWARDED_ALLOW_IPS:
    walking it from the right, each trusted proxy names the hop before it, and the first
    address that is not a trusted proxy is the client. Anything left of that was written
    by the client and could be anything. From any other peer the header is ignored.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted_proxy(peer):
        return peer[:45]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = peer
    for hop in reversed([h for h in hops if h]):
        client = hop
        if not _trusted_proxy(hop):
            break
    return client[:45]


def request_origin(get_response):
    """Give audit events the IP and user agent of the request that caused them."""

    def middleware(request):
        token = audit.set_origin(
            audit.Origin(
                ip=_client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
            )
        )
        try:
            return get_response(request)
        finally:
            audit.reset_origin(token)

    return middleware


def _json_error(status: int, code: str, message: str, fields=None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": fields or {}}, status=status)


def session_rules(get_response):
    """Idle timeout (audited) and the forced password change, for browser sessions.

    Part 11 §11.300: a session unused for OPENQMS_SESSION_IDLE_MINUTES is signed out at
    its next request, and the sign-out is recorded with the person it belonged to. A
    temporary password (set by an administrator) or one past its age opens nothing but
    the change-password page; the API refuses it.
    """
    open_paths = ("/accounts/", "/static/")

    def middleware(request):
        user = request.user
        if not user.is_authenticated:
            return get_response(request)
        now = time.time()
        last_seen = request.session.get("last_seen")
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
            actions.record_sign_out(user=user, idle=True)
            logout(request)
            if request.path_info.startswith("/api/"):
                return _json_error(401, "not_authenticated", "The session timed out.")
            return redirect(f"{reverse('core:sign-in')}?next={request.path_info}")
        request.session["last_seen"] = now
        if not request.path_info.startswith(open_paths) and actions.password_change_due(user):
            if request.path_info.startswith("/api/"):
                return _json_error(
                    403, "password_change_required", "Change your password in the browser first."
                )
            return redirect("core:password-change")
        return get_response(request)

    return middleware


def second_factor_required(get_response):
    """Send users whose role requires a second factor to enrol before anything else."""
    allowed = ("/profile/second-factor/", "/accounts/", "/static/", "/api/")

    def middleware(request):
        if not request.path_info.startswith(allowed) and second_factor_missing(
            request.user, request.session
        ):
            return redirect(reverse("core:second-factor") + "?required=1")
        return get_response(request)

    return middleware


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response

    return middleware


_API_ERRORS = {
    302: (401, "not_authenticated", "Sign in, or send a valid bearer token."),
    400: (400, "bad_request", "The request could not be read (too large, or malformed)."),
    401: (401, "not_authenticated", "Sign in, or send a valid bearer token."),
    403: (403, "forbidden", "Refused (for a browser session: the CSRF token is missing)."),
    404: (404, "not_found", "Not found."),
    405: (405, "method_not_allowed", "This method is not allowed here."),
    413: (413, "too_large", "The request body is larger than this instance accepts."),
}


def api_errors_as_json(get_response):
    """Under /api/, every error answers JSON like the API's own: a wrong path or method,
    a body Django refused before the API saw it, and never an HTML redirect to sign-in.
    A body holding text one database engine cannot store is refused here, for every
    endpoint alike, before anything runs (see openqms.core.text.UNSTORABLE)."""

    def middleware(request):
        if request.path_info.startswith("/api/"):
            refused = _unstorable_input(request)
            if refused is not None:
                return refused
        response = get_response(request)
        to_sign_in = response.status_code == 302 and response.get("Location", "").startswith(
            reverse(settings.LOGIN_URL)
        )
        if (
            request.path_info.startswith("/api/")
            and response.status_code in _API_ERRORS
            and (response.status_code != 302 or to_sign_in)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status, code, message = _API_ERRORS[response.status_code]
            allowed = response.get("Allow")
            response = _json_error(status, code, message)
            if allowed:
                response["Allow"] = allowed
        return response

    return middleware


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _unstorable_input(request) -> JsonResponse | None:
    """422 naming the field when a body's text holds NUL or a lone surrogate, which
    PostgreSQL refuses and SQLite keeps: refused alike, so every record loads into either
    engine (and a refusal on PostgreSQL is not a rolled-back half-step)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    try:
        if request.content_type == "application/json":
            data = json.loads(request.body)
        elif request.content_type in _FORMS:
            data = {key: request.POST.getlist(key) for key in request.POST}
            data |= {key: [f.name for f in request.FILES.getlist(key)] for key in request.FILES}
        else:
            return None
    except (ValueError, RecursionError, RequestDataTooBig, TooManyFieldsSent):
        return None  # the API answers a body it cannot read itself (too deep: a refusal)
    where = unstorable_at(data)
    if where is None:
        return None
    field = ".".join(where[:1] if request.content_type in _FORMS else where) or "body"
    return _json_error(
        422,
        "invalid_input",
        "The request holds a NUL character or a lone surrogate, which cannot be stored.",
        {field: UNSTORABLE_MESSAGE},
    )
