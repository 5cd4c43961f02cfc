"""Design controls plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core import modules as core_modules  # baselines
from openqms.core.modules import Module, NavEntry
from openqms.design import panels as trace_panels
from openqms.design import reconcile as trace_reconcile
from openqms.core.modules import DemoStep, Module, NavEntry
from openqms.design import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.design.demo import evidence as evidence_demo
from openqms.design.demo import baselines as baselines_demo  # baselines
from openqms.design.inbox.baselines import baseline_tasks  # baselines

# --- risk
from openqms.design import listeners
from openqms.design import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.design.demo.risk import STEP as risk_demo_step
from openqms.design.inbox import risk as risk_inbox

# isort: split
# --- software
from openqms.core.modules import DemoStep
from openqms.design.demo import software as software_demo
from openqms.design.inbox import software as software_inbox

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
        # --- baselines (design reviews, baselines, design changes to sign)
        baseline_tasks,
        # --- risk (risk reviews)
        risk_inbox.risk_review_tasks,
        # --- software (SOUP reviews)
        software_inbox.soup_tasks,
    ],
    demo=[
        # Order: pages 60 (project, items, links), evidence 61, baselines 62, risk 63,
        # software 64.
        # --- pages
        # --- evidence
        DemoStep("design: CI evidence", evidence_demo.run, order=61),
        # --- baselines
        core_modules.DemoStep("design: baselines, reviews, changes", baselines_demo.run, order=62),
        # --- risk
        risk_demo_step,
        # --- software
        DemoStep("Software system, SOUP and SBOMs", software_demo.run, order=64),
    ],
    panels=[
        # --- trace
        trace_panels.gap_panel,
        # --- risk
    ],
    reconcile=[
        # --- trace
        trace_reconcile.gap_state,
    ],
    listens={
        # --- risk (new quality events open a risk review)
        "events.record_opened": listeners.quality_event_opened,
    },
)
