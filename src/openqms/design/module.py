"""Design controls plug themselves in here (the checklist: docs/adding-a-module.md).

One section per area in each list; an area adds its entries in its own section."""

from openqms.core.modules import Module, NavEntry
from openqms.design import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.design.demo import pages as demo_pages  # --- pages
from openqms.design.inbox.pages import suspect_link_tasks  # --- pages

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
    ],
    tasks=[
        # --- pages (suspect links)
        suspect_link_tasks,
        # --- baselines (design reviews, baselines, design changes to sign)
        # --- risk (risk reviews)
        # --- software (SOUP reviews)
    ],
    demo=[
        # Order: pages 60 (project, items, links), evidence 61, baselines 62, risk 63,
        # software 64.
        # --- pages
        *demo_pages.STEPS,
        # --- evidence
        # --- baselines
        # --- risk
        # --- software
    ],
    panels=[
        # --- trace
        # --- risk
    ],
    listens={
        # --- risk (new quality events open a risk review)
    },
)
