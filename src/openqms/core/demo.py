"""The demo instance's people: one per seeded role, sharing one known password."""

from __future__ import annotations

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


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (username, name, role) for all."""
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
    return [(u, n, Role.objects.get(code=r).name) for u, n, r in DEMO_USERS]
