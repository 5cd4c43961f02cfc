"""“My tasks”: modules register a provider that lists a user's open tasks.

A provider is `provider(user) -> list[Task]`. The core has none of its own: the inbox
shows an honest empty state until modules (documents, training, CAPA…) feed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from openqms.core.models import User


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    url: str
    due: dt.date | None = None


Provider = Callable[[User], list[Task]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def tasks_for(user: User) -> list[Task]:
    tasks = [task for provider in _providers for task in provider(user)]
    return sorted(tasks, key=lambda t: (t.due is None, t.due or dt.date.max, t.title))
