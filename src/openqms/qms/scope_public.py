"""What other modules may ask the QMS module about its scope (ISO 13485 4.1.4, 4.2.2):
the version in force and where it is shown. Used by design changes to name the scope
their regulatory impact was assessed against."""

from __future__ import annotations

from django.urls import reverse

from openqms.qms.models import ScopeState, ScopeVersion


def scope_in_force() -> ScopeVersion | None:
    """The QMS scope version in force now (at most one: a database constraint), or None."""
    return ScopeVersion.objects.filter(state=ScopeState.IN_FORCE).first()


def scope_url(scope: ScopeVersion) -> str:
    """The page of a scope version."""
    return reverse("qms:scope", args=[scope.number])
