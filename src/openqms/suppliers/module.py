"""Supplier control plugs itself in here (the checklist: docs/adding-a-module.md)."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.suppliers import demo, inbox, panels, reconcile, reminders, retention, trail
from openqms.suppliers import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.suppliers.requirements import REQUIREMENTS

module = Module(
    label="suppliers",
    urls="openqms.suppliers.urls",
    url_prefix="suppliers/",
    api="openqms.suppliers.api.router",
    api_prefix="/suppliers",
    nav=[
        NavEntry("Suppliers", "suppliers:list", order=60, group="Suppliers"),
        NavEntry("Outsourced processes", "suppliers:outsourced-list", order=61, group="Suppliers"),
    ],
    tasks=[inbox.supplier_tasks],
    jobs=[Job("suppliers: reminders", reminders.send_reminders, order=50)],
    demo=[DemoStep("suppliers", demo.run, order=29)],
    panels=[panels.dashboard_panels],
    record_classes=retention.record_classes,
    records=trail.records,
    record_search=trail.record_search,
    reconcile=[reconcile.supplier_statuses, reconcile.evaluation_states],
    requirements=REQUIREMENTS,
)
