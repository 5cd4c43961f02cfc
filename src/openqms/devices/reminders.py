"""`openqms tick`: remind who keeps the register of a registration to update (UK MDR 2002
reg. 19). One email per flagging: a unique RegistrationReminder row claims it, so two
ticks running at once never send it twice."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.core.access import has_permission
from openqms.core.models import User
from openqms.devices.actions.register import registrations_to_update
from openqms.devices.models import RegistrationReminder
from openqms.devices.registry import MANAGE


def _keepers() -> list[str]:
    return [
        u.email
        for u in User.objects.active().exclude(email="").order_by("pk")
        if has_permission(u, MANAGE)
    ]


def send_registration_reminders() -> str:
    sent = 0
    devices = list(registrations_to_update())
    to = _keepers() if devices else []
    for device in devices:
        stamp = device.registration_stale_since
        assert stamp is not None
        key = f"device:{device.pk}:{stamp.isoformat()}"
        day = timezone.localtime(stamp)
        try:
            with transaction.atomic():
                RegistrationReminder.objects.create(key=key, sent_at=timezone.now())
                mail.queue(
                    [
                        (
                            f"OpenQMS: update the MHRA registration of {device}",
                            f"Registered data of {device} changed on {day:%d %b %Y}.\n"
                            "Update its registration with the MHRA, then record the update:\n"
                            f"{mail.link('devices:device', device.pk)}\n",
                            to,
                        )
                    ]
                )
            sent += 1
        except IntegrityError:
            continue
    return f"devices: {sent} registration reminder(s) queued"
