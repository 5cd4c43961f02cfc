"""Design controls plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import DemoStep, Module, NavEntry
from openqms.design import listeners, panels, reconcile, trail
from openqms.design import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.design.demo import baselines as baselines_demo
from openqms.design.demo import evidence as evidence_demo
from openqms.design.demo import pages as demo_pages
from openqms.design.demo import risk as risk_demo
from openqms.design.demo import software as software_demo
from openqms.design.inbox import risk as risk_inbox
from openqms.design.inbox import software as software_inbox
from openqms.design.inbox.baselines import baseline_tasks
from openqms.design.inbox.pages import suspect_link_tasks
from openqms.design.requirements import REQUIREMENTS

module = Module(
    label="design",
    urls="openqms.design.urls",
    url_prefix="design/",
    api="openqms.design.api.router",
    api_prefix="/design",
    nav=[
        # --- pages
        NavEntry("Design projects", "design:projects", order=80, group="Design"),
        # --- trace
        # --- baselines
        # --- risk
        NavEntry("Risk files", "design:risk-files", order=83, group="Design"),
        # --- software
        NavEntry("Software systems", "design:software-systems", order=84, group="Design"),
    ],
    tasks=[
        # --- pages (suspect links)
        suspect_link_tasks,
        # --- baselines (design reviews, baselines, design changes to sign)
        baseline_tasks,
        # --- risk (risk reviews)
        risk_inbox.risk_review_tasks,
        # --- software (SOUP reviews)
        software_inbox.soup_tasks,
    ],
    demo=[
        # Order: pages 60 (project, items, links), risk 61 (its hazards and controls are
        # design items too, so the release holds them), baselines 62 ("release 1.0" taken,
        # its review, a change), evidence 63 (CI results into it), baselines 64 (the QA
        # lead signs it), software 65, pages 66 (an edit after the release).
        # --- pages
        *demo_pages.STEPS,
        # --- evidence
        DemoStep("design: CI evidence", evidence_demo.run, order=63),
        # --- baselines
        DemoStep("design: baselines, reviews, changes", baselines_demo.run, order=62),
        DemoStep("design: release 1.0 signed", baselines_demo.sign_release, order=64),
        # --- risk
        DemoStep("design: risk file", risk_demo.run, order=61),
        # --- software
        DemoStep("design: software system, SOUP and SBOMs", software_demo.run, order=65),
    ],
    panels=[
        # --- trace
        panels.gap_panel,
        # --- risk
    ],
    reconcile=[
        # --- trace
        reconcile.gap_state,
    ],
    records=trail.records,
    record_search=trail.record_search,
    listens={
        # --- risk (new quality events open a risk review)
        "events.record_opened": listeners.quality_event_opened,
    },
    requirements=REQUIREMENTS,
)
