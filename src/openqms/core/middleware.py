"""Request middleware: sign-in required everywhere, request origin for the audit trail,
enforced second factor, and the Content Security Policy header."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from openqms.core import audit
from openqms.core.access import second_factor_missing


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Nothing but the sign-in pages is reachable without signing in.

    The JSON API answers 401 itself (session or bearer token), so it is not redirected.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _client_ip(request) -> str:
    """The address the request came from, as the trusted proxy saw it.

    Behind a proxy, the rightmost X-Forwarded-For entry is the one our proxy appended;
    entries left of it come from the client and could be anything.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


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


def api_errors_as_json(get_response):
    """Under /api/, a wrong path or method answers JSON like every other API error."""

    def middleware(request):
        response = get_response(request)
        if (
            request.path_info.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = {
                404: ("not_found", "Not found."),
                405: ("method_not_allowed", f"{request.method} is not allowed here."),
            }[response.status_code]
            allowed = response.get("Allow")
            response = JsonResponse(
                {"code": code, "message": message, "fields": {}}, status=response.status_code
            )
            if allowed:
                response["Allow"] = allowed
        return response

    return middleware
