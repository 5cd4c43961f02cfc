"""The device register plugs itself in here (the checklist: docs/adding-a-module.md)."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.devices import demo, inbox, panels, reconcile, reminders, retention, trail
from openqms.devices import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.devices.pdf import archive_renderings
from openqms.devices.requirements import REQUIREMENTS

module = Module(
    label="devices",
    urls="openqms.devices.urls",
    url_prefix="devices/",
    api="openqms.devices.api.router",
    api_prefix="/devices",
    nav=[
        NavEntry("Devices", "devices:list", order=30, group="Devices"),
        NavEntry("Medical device files", "devices:files", order=32, group="Devices"),
    ],
    tasks=[inbox.registrations],
    jobs=[Job("devices: registration reminders", reminders.send_registration_reminders, order=50)],
    demo=[DemoStep("devices: RhythmCheck and its accessory", demo.seed_devices, order=28)],
    renderings=archive_renderings,
    records=trail.records,
    reconcile=[reconcile.device_states, reconcile.registration_flags],
    panels=[panels.device_panel],
    record_classes=retention.record_classes,
    device_dates=retention.device_dates,
    requirements=REQUIREMENTS,
)
