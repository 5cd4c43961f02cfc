"""The QMS frame plugs itself in here (the checklist: docs/adding-a-module.md).

Each area (organisation and scope, processes, certificates and clauses, device families)
adds its entries in its own block below."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.qms import certificate_records, demo_certificates, reminders, trail
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
        NavEntry("Certificates", "qms:certificates", order=24, group="QMS"),
        NavEntry("Clause coverage", "qms:clauses", order=25, group="QMS"),
        NavEntry("Gap report", "qms:gaps", order=26, group="QMS"),
        # device families (in the Devices menu)
    ],
    tasks=[
        # scope approvals and reassessment follow-up; certificates due
        reminders.certificate_tasks,
    ],
    jobs=[
        # reminders: certificates, surveillance, notifications
        Job("qms: certificate reminders", reminders.send_certificate_reminders, order=35),
    ],
    demo=[
        # processes (order 22), certificates (24), scope (26)
        DemoStep("qms: certificates", demo_certificates.seed, order=24),
    ],
    reconcile=[
        # each area's rows against the trail
        certificate_records.certificate_states,
    ],
    records=trail.records,
    panels=[
        # certificates expiring soonest
        reminders.certificate_panels,
    ],
)
