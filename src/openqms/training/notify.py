"""Emails about training: queued in the transaction of the change (rolled back with it)
and sent by `openqms tick`, so an approval that reaches 2,000 people does not wait for
the mail server."""

from __future__ import annotations

import datetime as dt

from openqms.core import mail
from openqms.core.models import User


def assigned(people: list[User], what: str, due: dt.date, reason: str) -> None:
    mail.queue(
        (
            f"OpenQMS: training assigned on {what}",
            f"Hello {p.full_name},\n\nYou have training to complete on {what} by {due:%d %b %Y}"
            f" ({reason}).\nOpen “My training” in OpenQMS: {mail.link('training:my')}\n",
            [p.email],
        )
        for p in people
        if p.email
    )
