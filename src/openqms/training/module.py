"""Training plugs itself in here (the checklist: docs/adding-a-module.md).

It listens to document control's hooks by name, through core, so it never imports
documents' internals to hear them."""

from openqms.core import demo
from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.training import actions, gate, inbox, pdf, reconcile, reminders, trail
from openqms.training import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.training.context_processors import training_navigation
from openqms.training.demo import seed_training

module = Module(
    label="training",
    urls="openqms.training.urls",
    url_prefix="training/",
    api="openqms.training.api.router",
    api_prefix="/training",
    nav=[NavEntry("Training", "training:my", order=30)],
    context=training_navigation,
    tasks=[inbox.training_tasks],
    signing_gates=[gate.untrained_signer],
    listens={
        "documents.revision_effective": actions.assign_for_revision,
        "documents.document_withdrawn": actions.close_for_withdrawn,
    },
    jobs=[
        Job("training: compliance snapshot", actions.record_snapshot_text, order=30),
        Job("training: reminders", reminders.send_due_reminders, order=40),
    ],
    # After documents': the training story trains people on its effective procedures.
    demo=[DemoStep("training", lambda: seed_training(demo.DEMO_PASSWORD), order=20)],
    renderings=pdf.archive_renderings,
    records=trail.records,
    record_search=trail.record_search,
    reconcile=[
        reconcile.completed_training,
        reconcile.assignment_states,
        reconcile.competence_records,
        reconcile.session_files,
    ],
)
