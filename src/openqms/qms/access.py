"""Reading the QMS frame. Every signed-in person may read the organisation, the scope,
the processes, certificates and device families (ISO 13485 4.2.1: the QMS is known to
those who work in it); changing them needs the permissions in registry.py. Each area's
`get_<thing>_for_user` lives here, with the same 404 for missing and forbidden."""

# -- certificates and clauses ------------------------------------------------------------
# (Imports kept with the area so the areas' blocks merge cleanly.)

from django.db.models import QuerySet

from openqms.core.access import permissions_of
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.qms.models import Certificate, Clause


def is_reader(user: User) -> bool:
    """Who works in the QMS: signed in, active, holding some role. Someone with no
    rights at all (an account not yet given a role) meets the same 404 as everywhere."""
    return bool(permissions_of(user))


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


def require_reader(user: User) -> None:
    if not is_reader(user):
        raise NotFound()


def get_clause_for_user(user: User, number: str) -> Clause:
    require_reader(user)
    clause = Clause.objects.filter(number=number).first()
    if clause is None:
        raise NotFound()
    return clause
