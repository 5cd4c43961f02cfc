"""Design controls plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import Module, NavEntry
from openqms.design import registry as _codes  # noqa: F401  (permissions, event types)

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
        # --- software
        NavEntry("Software systems", "design:software-systems", order=84, group="Design"),
    ],
    tasks=[
        # --- pages (suspect links)
        # --- baselines (design reviews, baselines, design changes to sign)
        # --- risk (risk reviews)
        # --- software (SOUP reviews)
        software_inbox.soup_tasks,
    ],
    demo=[
        # Order: pages 60 (project, items, links), evidence 61, baselines 62, risk 63,
        # software 64.
        # --- pages
        # --- evidence
        # --- baselines
        # --- risk
        # --- software
        DemoStep("Software system, SOUP and SBOMs", software_demo.run, order=64),
    ],
    panels=[
        # --- trace
        # --- risk
    ],
    listens={
        # --- risk (new quality events open a risk review)
    },
)
