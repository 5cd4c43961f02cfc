"""Demo: the two device families of the small UK software-device maker (order 21)."""

from __future__ import annotations

from openqms.core.models import User
from openqms.qms.actions.families import create_family
from openqms.qms.models import DeviceFamily

FAMILIES = [
    (
        "HR-SW",
        "Rhythm analysis software",
        "Standalone software analysing ECG recordings "
        "for arrhythmias (software as a medical device).",
    ),
    (
        "HR-ACC",
        "ECG patch accessories",
        "Accessories used to apply and wear the ECG patch whose recordings the software analyses.",
    ),
]


def seed_families() -> None:
    qa = User.objects.filter(username="qa").first()
    if qa is None:
        return
    for code, name, description in FAMILIES:
        if not DeviceFamily.objects.filter(code=code).exists():
            create_family(actor=qa, code=code, name=name, description=description)
