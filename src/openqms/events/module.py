"""Quality events plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.events import capa_ageing, demo, retention, trail
from openqms.events import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.events.demo import capa as capa_demo
from openqms.events.inbox import capa as capa_inbox
from openqms.events.jobs import capa as capa_jobs

module = Module(
    label="events",
    urls="openqms.events.urls",
    url_prefix="events/",
    api="openqms.events.api.router",
    api_prefix="/events",
    nav=[
        # --- complaints
        # --- vigilance
        # --- fsca
        # --- trends
        # --- pms
        # --- nonconformance
        # --- capa
        NavEntry("CAPAs", "events:capas", order=46, group="Quality events"),
        # --- across
    ],
    tasks=[
        # --- complaints
        # --- vigilance
        # --- fsca
        # --- trends
        # --- pms
        # --- nonconformance
        # --- capa
        capa_inbox.capa_tasks,
    ],
    jobs=[
        # --- vigilance
        # --- pms
        # --- capa
        Job("events: CAPA reminders", capa_jobs.send_reminders, order=46),
    ],
    demo=[
        # Order: complaints 40, vigilance 41, fsca 42, trends 43, pms 44, nc 45, capa 46,
        # across 49 (links the story's records end to end).
        DemoStep("events: procedures", demo.procedures, order=39),
        # --- capa
        DemoStep("events: CAPA", capa_demo.run, order=46),
    ],
    panels=[
        # --- capa
        capa_ageing.dashboard_panels,
        # --- across (the quality events panel)
    ],
    record_classes=retention.record_classes,
    device_dates=retention.device_dates,
    records=trail.records,
    record_search=trail.record_search,
    reconcile=[
        # --- complaints
        # --- vigilance
        # --- capa
    ],
    health_data={
        # --- complaints
        "events.complaint": ["patient_details", "patient_outcome"],
        # --- vigilance
    },
)
