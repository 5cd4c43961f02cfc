"""How design records reach views, endpoints and commands: everyone holding a role reads
them (the auditor reads everything); someone with no role reads nothing. Changes need
the area's permission, checked again by each action. Missing and forbidden look the
same (NotFound)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from openqms.core.access import has_permission, is_member, require_member
from openqms.core.errors import NotFound
from openqms.core.models import User

M = TypeVar("M", bound=models.Model)

require_reader = require_member


def is_reader(user: User) -> bool:
    return is_member(user)


def need(user: User, permission: str | None) -> None:
    require_reader(user)
    if permission is not None and not has_permission(user, permission):
        raise NotFound()


def visible(user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """`queryset` for someone who may read design records, none for anyone else."""
    return queryset if is_reader(user) else queryset.none()


def get_for_user(
    user: User, queryset: models.QuerySet[M], pk: int, *, permission: str | None = None
) -> M:
    """The record `pk` of `queryset` when `user` may read it (and holds `permission`, if
    named); NotFound otherwise."""
    need(user, permission)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
