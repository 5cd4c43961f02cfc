"""Emails about training, sent once the change has committed."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mass_mail
from django.db import transaction

from openqms.core.models import User


def _send(messages: list[tuple[str, str, None, list[str]]]) -> None:
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def assigned(people: list[User], what: str, due: dt.date, reason: str) -> None:
    _send(
        [
            (
                f"OpenQMS: training assigned on {what}",
                f"Hello {p.full_name},\n\nYou have training to complete on {what} by {due:%d %b %Y}"
                f" ({reason}).\nOpen “My training” in OpenQMS: /training/my/\n",
                None,
                [p.email],
            )
            for p in people
            if p.email
        ]
    )
