"""Reading the QMS frame. Everyone holding a role may read the organisation, the scope,
the processes, certificates and device families (ISO 13485 4.2.1: the QMS is known to
those who work in it); changing them needs the permissions in registry.py. Each area's
`get_<thing>_for_user` lives here, with the same 404 for missing and forbidden."""

from django.db.models import QuerySet

from openqms.core.access import is_member, require_member, require_or_404
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.qms.models import (
    ApprovedBody,
    Certificate,
    Clause,
    MarketRole,
    Process,
    ResponsiblePerson,
    ScopeNotification,
    ScopeVersion,
    Site,
)

# -- processes ---------------------------------------------------------------------------


# Who works in the QMS: signed in, active, holding some role. Someone with no rights at
# all (an account not yet given a role) meets the same 404 as everywhere.
is_reader = is_member
require_reader = require_member


def visible_processes(user: User) -> QuerySet[Process]:
    """The register, retired processes included, for whoever may read it."""
    require_reader(user)
    return Process.objects.select_related("owner")


def get_process_for_user(user: User, pk: int, *, need: str | None = None) -> Process:
    if need is not None:
        require_or_404(user, need)
    found = visible_processes(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# Organisation and scope ------------------------------------------------------------


def _get(qs: QuerySet, user: User, pk: object, need: str | None) -> object:
    if need is not None:
        require_or_404(user, need)
    found = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def get_scope_for_user(user: User, number: int, *, need: str | None = None) -> ScopeVersion:
    """Everyone holding a role reads every scope version; `need` for changing it."""
    require_member(user)
    if need is not None:
        require_or_404(user, need)
    scope = ScopeVersion.objects.filter(number=number).first()
    if scope is None:
        raise NotFound()
    return scope


def get_notification_for_user(user: User, pk: int, *, need: str | None = None) -> ScopeNotification:
    qs = ScopeNotification.objects.select_related("scope", "certified_scope")
    return _get(qs, user, pk, need)  # type: ignore[return-value]


def get_site_for_user(user: User, pk: int, *, need: str | None = None) -> Site:
    return _get(Site.objects.all(), user, pk, need)  # type: ignore[return-value]


def get_body_for_user(user: User, pk: int, *, need: str | None = None) -> ApprovedBody:
    return _get(ApprovedBody.objects.all(), user, pk, need)  # type: ignore[return-value]


def get_responsible_person_for_user(
    user: User, pk: int, *, need: str | None = None
) -> ResponsiblePerson:
    return _get(ResponsiblePerson.objects.all(), user, pk, need)  # type: ignore[return-value]


def get_market_role_for_user(user: User, pk: int, *, need: str | None = None) -> MarketRole:
    return _get(MarketRole.objects.all(), user, pk, need)  # type: ignore[return-value]


# -- certificates and clauses ------------------------------------------------------------


def visible_certificates(user: User) -> QuerySet[Certificate]:
    """Every person working in the QMS reads the certificates (4.2.1, above)."""
    if not is_reader(user):
        return Certificate.objects.none()
    return Certificate.objects.all()


def get_certificate_for_user(user: User, pk: int) -> Certificate:
    certificate = visible_certificates(user).select_related("body", "file").filter(pk=pk).first()
    if certificate is None:
        raise NotFound()
    return certificate


def get_clause_for_user(user: User, number: str) -> Clause:
    require_reader(user)
    clause = Clause.objects.filter(number=number).first()
    if clause is None:
        raise NotFound()
    return clause
