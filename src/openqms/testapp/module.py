"""The smallest living module (tests only): a signable specimen with a workflow.

Copy this shape for a new module; docs/adding-a-module.md walks through it."""

from openqms.core.modules import Module, NavEntry
from openqms.testapp import models as _codes  # noqa: F401  (permissions, event types)
from openqms.testapp import reconcile
from openqms.testapp.models import EDIT

module = Module(
    label="testapp",
    urls="openqms.testapp.urls",
    url_prefix="specimens/",
    api="openqms.testapp.api.router",
    api_prefix="/testapp/",
    nav=[NavEntry("Specimens", "testapp:specimen-list", EDIT, order=80)],
    reconcile=[reconcile.specimen_states],  # `openqms verify`: rows against the trail
    # Health data (core.confidentiality): masked for roles without the grant, reads recorded
    health_data={"testapp.specimen": ["patient_details"]},
)
