"""Emails about document control: queued in the transaction of the change (rolled back
with it) and sent by `openqms tick`, retried while the mail server is down."""

from __future__ import annotations

from openqms.core import mail
from openqms.core.models import Role, RoleAssignment, User
from openqms.documents.models import ReviewAssignment, Revision


def people_with(*codes: str) -> list[User]:
    roles = [r.pk for r in Role.objects.all() if set(codes) & set(r.permissions)]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    return list(
        User.objects.active().exclude(email="").filter(role_assignments__in=grants).distinct()
    )


_TASK = {"reviewer": "review", "approver": "approval"}


def _send(subject: str, body: str, people: list[User]) -> None:
    mail.queue((subject, body, [p.email]) for p in people)


def revision_submitted(revision: Revision, actor: User) -> None:
    """To each person named to review or approve it, with their role and due date."""
    named = revision.review_assignments.filter(ended_at__isnull=True).select_related("person")
    mail.queue(
        (
            f"OpenQMS: {revision} is waiting for your {_TASK[a.role]}",
            f"{actor.full_name} submitted {revision} ({revision.document.title}) and named "
            f"you as {a.role}, due by {a.due_date:%d %b %Y}.\n"
            f"Open it in OpenQMS: {_link(revision)}\n",
            [a.person.email],
        )
        for a in named
        if a.person.email and a.person.is_active
    )


def person_named_instead(assignment: ReviewAssignment, replaced: User, actor: User) -> None:
    """To the person QA named in place of another (documents.review.reassigned)."""
    person, revision = assignment.person, assignment.revision
    if not person.email or not person.is_active:
        return
    mail.queue(
        [
            (
                f"OpenQMS: {revision} is waiting for your {_TASK[assignment.role]}",
                f"{actor.full_name} named you as {assignment.role} of {revision} "
                f"({revision.document.title}) in place of {replaced.full_name}, due by "
                f"{assignment.due_date:%d %b %Y}.\nOpen it in OpenQMS: {_link(revision)}\n",
                [person.email],
            )
        ]
    )


def review_reminder(assignment: ReviewAssignment, overdue: bool) -> tuple[str, str, list[str]]:
    """A reminder to a named person who has not signed (documents.reminders)."""
    revision, when = assignment.revision, f"{assignment.due_date:%d %b %Y}"
    task = _TASK[assignment.role]
    state = f"was due on {when}: it is overdue" if overdue else f"is due by {when}"
    return (
        f"OpenQMS: your {task} of {revision} {'is overdue' if overdue else 'is due'}",
        f"Hello {assignment.person.full_name},\n\nYour {task} of {revision} "
        f"({revision.document.title}) {state}.\nOpen it in OpenQMS: {_link(revision)}\n",
        [assignment.person.email],
    )


def _link(revision: Revision) -> str:
    return mail.link("documents:revision", revision.document.number, revision.label)


def revision_returned(revision: Revision, actor: User) -> None:
    _send(
        f"OpenQMS: {revision} was returned to you",
        f"{actor.full_name} returned {revision} ({revision.document.title}) to draft.\n"
        "Their reason is on the revision's history in OpenQMS: "
        f"{mail.link('documents:revision', revision.document.number, revision.label)}\n",
        [revision.author] if revision.author.email else [],
    )
