"""What the audit trail calls core's own records (users, roles, API tokens, the database,
checkpoints, periodic jobs, audit-trail reviews), and which of them a typed text names.

Registered in core's module.py like any module's. Whoever reads the trail may read what
core's events say (nothing secret is in them: passwords and keys are recorded as
fingerprints); the link to a user or role is given only to those who manage them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.models import ApiToken, AuditReview, Role, User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.registry import ROLE_MANAGE, USER_MANAGE

_FIXED = {
    "core.database": "The database",
    "core.integrity": "Integrity check",
}


def ids_of(keys: Sequence[RecordKey], object_type: str) -> list[int]:
    """The whole-number ids of the keys of one type (others name nothing)."""
    return [int(i) for t, i in keys if t == object_type and i.isdigit() and len(i) < 19]


def as_text(rows: QuerySet, field: str = "pk") -> QuerySet:
    """`rows`' ids as text, as the trail stores object ids (a subquery, not a list)."""
    return rows.annotate(_trail_id=Cast(field, CharField())).values("_trail_id")


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    found: dict[RecordKey, RecordRef] = {}
    manages_users = has_permission(viewer, USER_MANAGE)
    for user in User.objects.filter(pk__in=ids_of(keys, "core.user")):
        url = reverse("core:user-detail", args=[user.username]) if manages_users else ""
        found[("core.user", str(user.pk))] = RecordRef(
            f"User {user.full_name} ({user.username})", url
        )
    manages_roles = has_permission(viewer, ROLE_MANAGE)
    role_codes = [i for t, i in keys if t == "core.role"]
    for role in Role.objects.filter(code__in=role_codes):
        url = reverse("core:role-detail", args=[role.code]) if manages_roles else ""
        found[("core.role", role.code)] = RecordRef(f"Role {role.name}", url)
    tokens = ApiToken.objects.filter(pk__in=ids_of(keys, "core.apitoken")).select_related("user")
    for token in tokens:
        label = f"API token “{token.name}” ({token.prefix}…) of {token.user.username}"
        found[("core.apitoken", str(token.pk))] = RecordRef(label)
    for review in AuditReview.objects.filter(pk__in=ids_of(keys, "core.auditreview")):
        url = reverse("core:audit-review", args=[review.pk])
        found[("core.auditreview", str(review.pk))] = RecordRef(str(review), url)
    for object_type, object_id in keys:
        key = (object_type, object_id)
        if object_type in _FIXED:
            found[key] = RecordRef(_FIXED[object_type])
        elif object_type == "core.job":
            found[key] = RecordRef(f"Periodic job “{object_id}”")
        elif object_type == "core.sign_in":
            found[key] = RecordRef(f"Sign-in as “{object_id}” (no such user)")
        elif object_type == "core.checkpoint":
            found[key] = RecordRef("Audit checkpoints")
        elif key not in found:  # core's events hold nothing a trail reader may not read
            found[key] = RecordRef(f"{object_type} {object_id}")
    return found


def record_search(viewer: User, text: str) -> list[tuple[str, QuerySet]]:
    """People by username or name: the events about their account."""
    people = User.objects.filter(Q(username__iexact=text) | Q(full_name__icontains=text))
    return [("core.user", as_text(people))]
