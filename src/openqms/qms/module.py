"""The QMS frame plugs itself in here (the checklist: docs/adding-a-module.md).

Each area (organisation and scope, processes, certificates and clauses, device families)
adds its entries in its own block below."""

from openqms.core.modules import DemoStep, Module, NavEntry
from openqms.qms import demo_families, trail
from openqms.qms import registry as _codes  # noqa: F401  (permissions)
from openqms.qms.models import frame as _frame  # noqa: F401  (event types)

module = Module(
    label="qms",
    urls="openqms.qms.urls",
    url_prefix="qms/",
    api="openqms.qms.api.router",
    api_prefix="/qms",
    nav=[
        NavEntry("Dashboard", "qms:dashboard", order=20, group="QMS"),
        # organisation and scope
        # processes
        # certificates and clauses
        # device families (in the Devices menu)
        NavEntry("Device families", "qms:families", order=31, group="Devices"),
    ],
    tasks=[
        # scope approvals and reassessment follow-up; certificates due
    ],
    jobs=[
        # reminders: certificates, surveillance, notifications
    ],
    demo=[
        # processes (order 22), certificates (24), scope (26)
        # device families (order 21)
        DemoStep("qms: device families", demo_families.seed_families, order=21),
    ],
    reconcile=[
        # each area's rows against the trail
    ],
    records=trail.records,
)
