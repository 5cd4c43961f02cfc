"""Reading the QMS frame. Every signed-in person may read the organisation, the scope,
the processes, certificates and device families (ISO 13485 4.2.1: the QMS is known to
those who work in it); changing them needs the permissions in registry.py. Each area's
`get_<thing>_for_user` lives here, with the same 404 for missing and forbidden."""

# -- certificates and clauses ------------------------------------------------------------
# (Imports kept with the area so the areas' blocks merge cleanly.)

from django.db.models import QuerySet

from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.qms.models import Certificate, Clause


def visible_certificates(user: User) -> QuerySet[Certificate]:
    """Every signed-in person reads the certificates (4.2.1, above)."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    return Certificate.objects.all()


def get_certificate_for_user(user: User, pk: int) -> Certificate:
    certificate = visible_certificates(user).select_related("body", "file").filter(pk=pk).first()
    if certificate is None:
        raise NotFound()
    return certificate


def require_signed_in(user: User) -> None:
    if not user.is_authenticated or not user.is_active:
        raise NotFound()


def get_clause_for_user(user: User, number: str) -> Clause:
    require_signed_in(user)
    clause = Clause.objects.filter(number=number).first()
    if clause is None:
        raise NotFound()
    return clause
