"""The register's reconciliation checks (`openqms verify`): each device's lifecycle state
and the MHRA registration flag are what their last events recorded."""

from __future__ import annotations

from openqms.core.integrity import Finding, Findings
from openqms.core.reconcile import events
from openqms.devices.actions import LIFECYCLE
from openqms.devices.models import Device, DeviceState

DEVICE = "devices.device"


def device_states() -> Findings:
    """Each device's state is its last lifecycle event's (in design before any)."""
    codes = sorted({t.event for t in LIFECYCLE.transitions.values()})
    said = {
        object_id: (seq, changes["state"][1])
        for seq, _, object_id, changes in events(*codes, object_type=DEVICE)
    }
    found = Findings()
    for pk, state in Device.objects.order_by("pk").values_list("pk", "state"):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, DeviceState.IN_DESIGN))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else f"{recorded} (no step taken)"
            found.append(Finding("devices: device_states", f"{DEVICE} {pk}", trail, state))
    return found


def registration_flags() -> Findings:
    """A device is flagged "MHRA registration to update" exactly when its last event that
    changed the flag set it (a registration recorded clears it)."""
    codes = (
        "devices.device.created",
        "devices.device.edited",
        "devices.device.registered",
        "devices.udi.added",
        "devices.udi.removed",
    )
    said: dict[str, tuple[int, bool]] = {}
    for seq, _, object_id, changes in events(*codes, object_type=DEVICE):
        flag = changes.get("registration_to_update")
        if isinstance(flag, list):
            said[object_id] = (seq, bool(flag[1]))
    found = Findings()
    rows = Device.objects.order_by("pk").values_list("pk", "registration_stale_since")
    for pk, since in rows:
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, False))
        if recorded != (since is not None):
            trail = f"{'flagged' if recorded else 'not flagged'} (event #{seq})"
            row = "flagged" if since is not None else "not flagged"
            found.append(Finding("devices: registration_flags", f"{DEVICE} {pk}", trail, row))
    return found
