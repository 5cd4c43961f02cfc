"""The audit trail's names for device families (qms/trail.py NAMERS): every signed-in
person reads the families, so every viewer reads their events. One query per call."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordRef
from openqms.qms.models import DeviceFamily


def names(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    wanted = [int(i) for i in ids if i.isdigit() and len(i) < 19]
    url = reverse("qms:families")
    return {
        str(f.pk): RecordRef(f"Device family {f.code} {f.name}", url)
        for f in DeviceFamily.objects.filter(pk__in=wanted)
    }
