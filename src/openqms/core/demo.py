"""The demo instance's people: one per seeded role, sharing one known password."""

from __future__ import annotations

from collections.abc import Callable

from openqms.core import actions
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
]


# Modules add demo records: seeder() runs after the users exist, and must be idempotent.
_seeders: list[Callable[[], None]] = []


def add_seeder(seeder: Callable[[], None]) -> None:
    if seeder not in _seeders:
        _seeders.append(seeder)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create what the demo lacks; return (username, name, role) for every demo user."""
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
    for seeder in _seeders:
        seeder()
    return [(u, n, Role.objects.get(code=r).name) for u, n, r in DEMO_USERS]
