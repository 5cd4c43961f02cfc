"""Validation plugs itself in here (the checklist: docs/adding-a-module.md): the
`openqms validate` command, the validation reports' pages, the QA lead's task to approve
one, and the upgrade event after `migrate` (apps.py connects it)."""

from openqms.core.modules import Module, NavEntry
from openqms.validation import registry
from openqms.validation.inbox import reports_to_approve
from openqms.validation.requirements import REQUIREMENTS
from openqms.validation.trail import records

module = Module(
    label="validation",
    urls="openqms.validation.urls",
    url_prefix="validation/",
    api="openqms.validation.api.router",
    api_prefix="/validation",
    nav=[NavEntry("Validation", "validation:reports", registry.READ, order=85)],
    tasks=[reports_to_approve],
    records=records,
    requirements=REQUIREMENTS,
)
