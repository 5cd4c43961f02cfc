"""The request type of views and API endpoints that require sign-in.

SignInRequiredMiddleware (and the API's authentication) let a request through to such a
view only with a signed-in, active user, so `request.user` is a `User` there, never the
anonymous one; annotating `request: AuthenticatedHttpRequest` tells the type checker so.
Views marked `login_not_required` keep `HttpRequest`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from openqms.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
