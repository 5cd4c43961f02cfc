"""What the audit trail calls validation reports: their number, linked for those who may
read them; for anyone else only that the event happened."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.core.trail_records import ids_of
from openqms.validation.access import can_read
from openqms.validation.models import ValidationReport

REPORT = "validation.validationreport"


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    readable = can_read(viewer)
    return {
        (REPORT, str(r.pk)): RecordRef(
            str(r), reverse("validation:report", args=[r.pk]) if readable else "", readable
        )
        for r in ValidationReport.objects.filter(pk__in=ids_of(keys, REPORT))
    }
