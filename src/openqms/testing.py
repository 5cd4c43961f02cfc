"""The cast of users and helpers the tests share (one fixed cast, named by role)."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import actions, audit
from openqms.core.models import AuditEvent, Role, User

PASSWORD = "correct horse battery staple"


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a low work factor, for tests only."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1


@dataclass(frozen=True)
class Cast:
    admin: User
    qa_lead: User
    author: User
    reviewer: User
    approver: User
    trainee: User
    auditor: User
    outsider: User
    manager: User


_CAST = [
    ("admin", "Ada Administrator", "administrator"),
    ("qa_lead", "Quinn Avery", "qa_lead"),
    ("author", "Alex Author", "author"),
    ("reviewer", "Riley Reviewer", "reviewer"),
    ("approver", "Morgan Approver", "approver"),
    ("trainee", "Taylor Trainee", "trainee"),
    ("auditor", "Jordan Auditor", "auditor"),
    ("outsider", "Olly Outsider", None),
    ("manager", "Mia Manager", "management"),
]


def make_cast() -> Cast:
    people = {}
    for name, full_name, role in _CAST:
        roles = [Role.objects.get(code=role)] if role else []
        people[name] = actions.create_user(
            actor=None,
            username=name.replace("_", "-"),
            full_name=full_name,
            email=f"{name}@example.test",
            password=PASSWORD,
            roles=roles,
            reason="test cast",
        )
    return Cast(**people)


def event_count() -> int:
    return AuditEvent.objects.count()


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq")[0]


def events_since(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq")[count:])


def changes_of(event: AuditEvent) -> dict:
    return json.loads(event.changes)


def enrol_totp(user: User) -> TOTPDevice:
    device = actions.start_second_factor(actor=user)
    actions.confirm_second_factor(actor=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The device's current code (or a later one, to get past replay protection)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + offset_steps * device.step
    return f"{generator.token():0{device.digits}d}"


def api_post(client, path: str, body, token: str):
    """POST JSON to /api/v1{path} with a bearer token, as an API client would."""
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def record_events(count: int, **fields) -> list[AuditEvent]:
    """Append `count` plain events in one transaction (chain tests, query counts)."""
    with transaction.atomic():
        return [
            audit.record(
                actor=None,
                action="core.user.updated",
                object_type="test.thing",
                object_id=i,
                changes={"n": [i, i + 1]},
                **fields,
            )
            for i in range(count)
        ]


def named(
    cast: Cast,
    reviewers: list[User] | None = None,
    approvers: list[User] | None = None,
    days: int = 14,
) -> dict:
    """What submitting a revision names: by default the cast's reviewer and approver,
    due in `days` days (`take_step(..., step="submit", **named(cast))`)."""
    return {
        "reviewers": [cast.reviewer] if reviewers is None else reviewers,
        "approvers": [cast.approver] if approvers is None else approvers,
        "due_date": timezone.localdate() + dt.timedelta(days=days),
    }
