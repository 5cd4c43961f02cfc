"""Quality events plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import DemoStep, Module, NavEntry
from openqms.events import demo, retention, trail
from openqms.events import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.events.demo import trends as trends_demo
from openqms.events.inbox import trends as trends_inbox

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
        NavEntry("Trends", "events:trends", order=74, group="Quality events"),
        # --- pms
        # --- nonconformance
        # --- capa
        # --- across
    ],
    tasks=[
        # --- complaints
        # --- vigilance
        # --- fsca
        # --- trends
        trends_inbox.trend_tasks,
        # --- pms
        # --- nonconformance
        # --- capa
    ],
    jobs=[
        # --- vigilance
        # --- pms
        # --- capa
    ],
    demo=[
        # Order: complaints 40, vigilance 41, fsca 42, trends 43, pms 44, nc 45, capa 46,
        # across 49 (links the story's records end to end).
        DemoStep("events: procedures", demo.procedures, order=39),
        # --- trends
        DemoStep("events: trends", trends_demo.run, order=43),
    ],
    panels=[
        # --- trends
        trends_inbox.dashboard_panels,
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
