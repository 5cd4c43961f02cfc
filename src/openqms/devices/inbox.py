"""My tasks: devices whose MHRA registration must be updated, for who keeps the register."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.devices.actions.register import registrations_to_update
from openqms.devices.registry import MANAGE


def registrations(user: User) -> list[Task]:
    if not has_permission(user, MANAGE):
        return []
    return [
        Task(
            kind="MHRA registration to update",
            title=f"Update the MHRA registration of {device}: registered data changed",
            url=reverse("devices:device", args=[device.pk]) + "#registration",
        )
        for device in registrations_to_update()
    ]
