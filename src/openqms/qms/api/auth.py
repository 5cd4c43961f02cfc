"""Who may use the organisation and scope endpoints: anyone signed in who holds a role
(any permission). Someone with no rights meets the same 404 on every endpoint, before
their input is read (ninja answers errors raised while authenticating)."""

from __future__ import annotations

from django.http import HttpRequest

from openqms.core import api as core_api
from openqms.core.access import permissions_of
from openqms.core.errors import NotFound
from openqms.core.models import User


class _Readers:
    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)  # type: ignore[misc]
        if user is not None and not permissions_of(user):
            raise NotFound()
        return user


# Named as the core's classes, so the OpenAPI document shows the same two schemes.
class BearerToken(_Readers, core_api.BearerToken):
    pass


class SessionAuth(_Readers, core_api.SessionAuth):
    pass


AUTH = [BearerToken(), SessionAuth()]
