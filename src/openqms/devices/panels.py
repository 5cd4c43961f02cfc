"""The QMS dashboard's device panel: devices by class and state, and the registrations
to update. Two queries."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import Panel
from openqms.devices.models import Device, DeviceClass, DeviceState


def device_panel(user: User) -> list[Panel]:
    counts = {
        (row["device_class"], row["state"]): row["n"]
        for row in Device.objects.visible_to(user)
        .values("device_class", "state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if not counts:
        return []
    states = list(DeviceState)
    classes = DeviceClass.objects.filter(pk__in={c for c, _ in counts}).order_by("order")
    rows = [
        {"label": c.label, "cells": [counts.get((c.pk, s.value), 0) for s in states]}
        for c in classes
    ]
    stale = Device.objects.visible_to(user).exclude(registration_stale_since=None).count()
    context = {"states": [s.label for s in states], "rows": rows, "stale": stale}
    return [
        Panel(
            title="Devices",
            template="devices/panel.html",
            context=context,
            url=reverse("devices:list"),
            order=40,
        )
    ]
