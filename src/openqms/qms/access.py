"""Reading the QMS frame. Every signed-in person may read the organisation, the scope,
the processes, certificates and device families (ISO 13485 4.2.1: the QMS is known to
those who work in it); changing them needs the permissions in registry.py. Each area's
`get_<thing>_for_user` lives here, with the same 404 for missing and forbidden."""

# -- processes ---------------------------------------------------------------------------
from django.db.models import QuerySet

from openqms.core.access import require_or_404
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.qms.models import Process


def visible_processes(user: User) -> QuerySet[Process]:
    """Every signed-in person reads the register, retired processes included."""
    return Process.objects.select_related("owner")


def get_process_for_user(user: User, pk: int, *, need: str | None = None) -> Process:
    if need is not None:
        require_or_404(user, need)
    found = visible_processes(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
