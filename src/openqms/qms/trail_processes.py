"""The audit trail's names for processes: everyone signed in may read the register."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordRef
from openqms.qms.models import Process


def name_processes(viewer: User, ids: Sequence[str]) -> dict[str, RecordRef]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): RecordRef(f"Process {code} {name}", reverse("qms:process", args=[pk]))
        for pk, code, name in Process.objects.filter(pk__in=wanted).values_list(
            "pk", "code", "name"
        )
    }
