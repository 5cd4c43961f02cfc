"""Emails about document control: queued in the transaction of the change (rolled back
with it) and sent by `openqms tick`, retried while the mail server is down."""

from __future__ import annotations

from openqms.core import mail
from openqms.core.models import Role, RoleAssignment, User
from openqms.documents.models import Revision
from openqms.documents.registry import APPROVE, REVIEW


def people_with(*codes: str) -> list[User]:
    roles = [r.pk for r in Role.objects.all() if set(codes) & set(r.permissions)]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    return list(
        User.objects.active().exclude(email="").filter(role_assignments__in=grants).distinct()
    )


def _send(subject: str, body: str, people: list[User]) -> None:
    mail.queue((subject, body, [p.email]) for p in people)


def revision_submitted(revision: Revision, actor: User) -> None:
    people = [p for p in people_with(REVIEW, APPROVE) if p.pk != revision.author_id]
    _send(
        f"OpenQMS: {revision} is waiting for review",
        f"{actor.full_name} submitted {revision} ({revision.document.title}) for review.\n"
        "Open it in OpenQMS: "
        f"{mail.link('documents:revision', revision.document.number, revision.label)}\n",
        people,
    )


def revision_returned(revision: Revision, actor: User) -> None:
    _send(
        f"OpenQMS: {revision} was returned to you",
        f"{actor.full_name} returned {revision} ({revision.document.title}) to draft.\n"
        "Their reason is on the revision's history in OpenQMS: "
        f"{mail.link('documents:revision', revision.document.number, revision.label)}\n",
        [revision.author] if revision.author.email else [],
    )
