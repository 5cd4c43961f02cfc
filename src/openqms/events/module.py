"""Quality events plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.events import capa_ageing, demo, retention, trail
from openqms.events import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.events.demo import capa as capa_demo
from openqms.events.demo import complaints as complaints_demo
from openqms.events.demo import fsca as fsca_demo
from openqms.events.demo import nonconformance as nc_demo
from openqms.events.demo import pms as demo_pms
from openqms.events.demo import trends as trends_demo
from openqms.events.demo import vigilance as vigilance_demo
from openqms.events.inbox import capa as capa_inbox
from openqms.events.inbox import fsca as fsca_inbox
from openqms.events.inbox import nonconformance as nc_inbox
from openqms.events.inbox import pms as inbox_pms
from openqms.events.inbox import trends as trends_inbox
from openqms.events.inbox import vigilance as vigilance_inbox
from openqms.events.inbox.complaints import complaint_tasks
from openqms.events.jobs import capa as capa_jobs
from openqms.events.jobs import pms as jobs_pms
from openqms.events.jobs import vigilance as vigilance_jobs
from openqms.events.requirements import REQUIREMENTS
from openqms.events.views import nonconformance as nc_views

module = Module(
    label="events",
    urls="openqms.events.urls",
    url_prefix="events/",
    api="openqms.events.api.router",
    api_prefix="/events",
    nav=[
        # --- complaints
        NavEntry("Complaints", "events:complaints", order=70, group="Quality events"),
        NavEntry("Feedback", "events:feedback-list", order=71, group="Quality events"),
        # --- vigilance
        NavEntry("Vigilance", "events:vigilance", order=72, group="Quality events"),
        # --- fsca
        NavEntry("FSCAs", "events:fscas", order=73, group="Quality events"),
        # --- trends
        NavEntry("Trends", "events:trends", order=74, group="Quality events"),
        # --- pms
        NavEntry("PSURs and PMSRs", "events:pms-reports", order=75, group="Quality events"),
        NavEntry("MHRA requests", "events:mhra-requests", order=76, group="Quality events"),
        # --- nonconformance
        NavEntry("Nonconformities", "events:nonconformities", order=77, group="Quality events"),
        # --- capa
        NavEntry("CAPAs", "events:capas", order=78, group="Quality events"),
        # --- across
        NavEntry("Overview", "events:dashboard", order=69, group="Quality events"),
    ],
    tasks=[
        # --- complaints
        complaint_tasks,
        # --- vigilance
        vigilance_inbox.vigilance_tasks,
        # --- fsca
        fsca_inbox.fsca_tasks,
        # --- trends
        trends_inbox.trend_tasks,
        # --- pms
        inbox_pms.pms_tasks,
        # --- nonconformance
        nc_inbox.nonconformity_tasks,
        # --- capa
        capa_inbox.capa_tasks,
    ],
    jobs=[
        # --- vigilance
        Job("events: vigilance escalations", vigilance_jobs.send_escalations, order=45),
        # --- pms
        Job("events: PMS reminders", jobs_pms.send_reminders, order=52),
        # --- capa
        Job("events: CAPA reminders", capa_jobs.send_reminders, order=46),
    ],
    demo=[
        # Order: complaints 40, vigilance 41, fsca 42, trends 43, pms 44, nc 45, capa 46,
        # across 49 (links the story's records end to end).
        DemoStep("events: procedures", demo.procedures, order=39),
        # --- complaints
        DemoStep("events: complaints", complaints_demo.run, order=40),
        # --- vigilance
        DemoStep("events: vigilance", vigilance_demo.reports, order=41),
        # --- fsca
        DemoStep("events: fsca", fsca_demo.run, order=42),
        # --- trends
        DemoStep("events: trends", trends_demo.run, order=43),
        # --- pms
        DemoStep("events: pms", demo_pms.run, order=44),
        # --- nonconformance
        DemoStep("events: nonconformance", nc_demo.run, order=45),
        # --- capa
        DemoStep("events: CAPA", capa_demo.run, order=46),
    ],
    panels=[
        # --- vigilance
        vigilance_inbox.open_clocks_panel,
        # --- trends
        trends_inbox.dashboard_panels,
        # --- nonconformance (open nonconformities by age)
        nc_views.dashboard_panel,
        # --- capa
        capa_ageing.dashboard_panels,
        # --- across (the quality events panel)
    ],
    # "events.record_opened": listener(record), called inside the transaction that opens
    # a complaint, an incident report, a trend report or a CAPA (design's risk reviews).
    offers=["events.record_opened"],
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
        "events.incidentreport": ["patient_outcome"],
    },
    requirements=REQUIREMENTS,
)
