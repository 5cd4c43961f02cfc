"""The QMS frame plugs itself in here (the checklist: docs/adding-a-module.md).

Each area (organisation and scope, processes, certificates and clauses, device families)
adds its entries in its own block below."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.qms import (
    certificate_records,
    demo,
    demo_certificates,
    demo_families,
    inbox,
    reconcile,
    reconcile_processes,
    reminders,
    retention,
    trail,
)
from openqms.qms import registry as _codes  # noqa: F401  (permissions)
from openqms.qms.actions.processes import DOCUMENTS_LINKED
from openqms.qms.demo_processes import seed_processes
from openqms.qms.models import frame as _frame  # noqa: F401  (event types)
from openqms.qms.requirements import REQUIREMENTS

module = Module(
    label="qms",
    urls="openqms.qms.urls",
    url_prefix="qms/",
    api="openqms.qms.api.router",
    api_prefix="/qms",
    nav=[
        NavEntry("Dashboard", "qms:dashboard", order=20, group="QMS"),
        # organisation and scope
        NavEntry("Organisation", "qms:organisation", order=21, group="QMS"),
        NavEntry("Scope", "qms:scope-list", order=22, group="QMS"),
        # processes
        NavEntry("Processes", "qms:processes", order=22, group="QMS"),
        NavEntry("Process map", "qms:process-map", order=23, group="QMS"),
        # certificates and clauses
        NavEntry("Certificates", "qms:certificates", order=24, group="QMS"),
        NavEntry("Clause coverage", "qms:clauses", order=25, group="QMS"),
        NavEntry("Gap report", "qms:gaps", order=26, group="QMS"),
        # device families (in the Devices menu)
        NavEntry("Device families", "qms:families", order=31, group="Devices"),
    ],
    tasks=[
        # scope approvals and reassessment follow-up; certificates due
        inbox.scope_tasks,
        reminders.certificate_tasks,
    ],
    jobs=[
        # reminders: certificates, surveillance, notifications
        Job("qms: certificate reminders", reminders.send_certificate_reminders, order=35),
    ],
    demo=[
        # device families (21), processes (22), certificates (24), scope (26)
        DemoStep("qms: device families", demo_families.seed_families, order=21),
        DemoStep("qms: processes", seed_processes, order=22),
        DemoStep("qms: certificates", demo_certificates.seed, order=24),
        DemoStep("qms: scope", demo.seed_scope, order=26),
    ],
    reconcile=[
        # each area's rows against the trail
        reconcile_processes.process_retirement,
        reconcile.scope_states,
        reconcile.scope_notification_states,
        reconcile.scope_certifications,
        certificate_records.certificate_states,
    ],
    records=trail.records,
    record_classes=retention.record_classes,
    # processes: documents linked to a process (training assigns them)
    offers=[DOCUMENTS_LINKED],
    panels=[
        # certificates expiring soonest
        reminders.certificate_panels,
    ],
    requirements=REQUIREMENTS,  # user requirements (issue 14), traced to tests
)
