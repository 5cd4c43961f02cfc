"""The demo instance's people: one per seeded role, sharing one known password.

The demo tells two months of a small company's story (documents approved, people trained,
training overdue), so seeding runs on a demo clock that starts `STORY_DAYS` ago and that
seeders move forward with `at(days_ago)`; every record and audit event gets the time its
step would have had, in order. Outside seeding the clock is the real one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

from openqms.core import actions, mail, modules
from openqms.core.actions.instance import mark_demo_instance
from openqms.core.instance import is_demo_database
from openqms.core.models import Role, User

DEMO_PASSWORD = "openqms-demo-2026"

DEMO_USERS = [
    ("admin", "Ada Adeyemi", "administrator"),
    ("qa", "Quinn Avery", "qa_lead"),
    ("author", "Alex Morgan", "author"),
    ("reviewer", "Riya Patel", "reviewer"),
    ("approver", "Sam Okafor", "approver"),
    ("trainee", "Taylor Brooks", "trainee"),
    ("auditor", "Jordan Ellis", "auditor"),
    ("manager", "Morgan Blake", "management"),
]


STORY_DAYS = 60
_clock: dict[str, dt.datetime] = {}


@contextmanager
def demo_clock(days_ago: float = STORY_DAYS) -> Iterator[None]:
    real_now = timezone.now
    _clock["real"], _clock["now"] = real_now(), real_now() - dt.timedelta(days=days_ago)
    timezone.now = lambda: _clock["now"]
    try:
        yield
    finally:
        timezone.now = real_now
        _clock.clear()


def at(days_ago: float) -> None:
    """Move the demo clock forward to `days_ago` days before the real now (never back)."""
    if _clock:
        when = _clock["real"] - dt.timedelta(days=days_ago)
        _clock["now"] = max(_clock["now"], when)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create what the demo lacks; return (username, name, role) for every demo user."""
    fresh = not User.objects.exists()
    if not is_demo_database():
        mark_demo_instance()  # first, so the trail says what the accounts below are
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # a story, not mail
    try:
        with demo_clock(STORY_DAYS if fresh else 0):
            _seed()
            mail.send_queued(limit=100_000)  # the story's emails go nowhere
    finally:
        settings.EMAIL_BACKEND = backend
    return [(u, n, Role.objects.get(code=r).name) for u, n, r in DEMO_USERS]


def _seed() -> None:
    for username, full_name, role in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            actions.create_user(
                actor=None,
                username=username,
                full_name=full_name,
                email=f"{username}@demo.openqms.invalid",
                password=DEMO_PASSWORD,
                roles=[Role.objects.get(code=role)],
                reason="Demo instance",
            )
    for step in modules.demo_steps():  # each module's, in their declared order
        step.run()
