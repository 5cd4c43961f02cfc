"""Training plugs itself in here (the checklist: docs/adding-a-module.md).

It listens to document control's hooks by name, through core, so it never imports
documents' internals to hear them."""

from openqms.core import demo
from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.training import actions, gate, inbox, pdf, reconcile, reminders, retention, trail
from openqms.training import registry as _codes  # (permissions, event types)
from openqms.training.context_processors import training_navigation
from openqms.training.demo import seed_training
from openqms.training.requirements import REQUIREMENTS

module = Module(
    label="training",
    urls="openqms.training.urls",
    url_prefix="training/",
    api="openqms.training.api.router",
    api_prefix="/training",
    # One "Training" menu; the tab bar on every training page (training/tabs.html) shows
    # the same places, with those a person may open (managers reach the matrix there).
    nav=[
        NavEntry("My training", "training:my", order=30, group="Training"),
        NavEntry("Matrix", "training:matrix", _codes.READ, order=31, group="Training"),
        NavEntry("People", "training:people", order=32, group="Training"),
        NavEntry("Job roles", "training:job-roles", _codes.MANAGE, order=33, group="Training"),
        NavEntry("Quizzes", "training:quizzes", _codes.RECORDS, order=34, group="Training"),
        NavEntry("Sessions", "training:sessions", order=35, group="Training"),
    ],
    context=training_navigation,
    tasks=[inbox.training_tasks],
    signing_gates=[gate.untrained_signer],
    task_blockers=[gate.blocked_tasks],
    listens={
        "documents.revision_effective": actions.assign_for_revision,
        "documents.document_withdrawn": actions.close_for_withdrawn,
        # The process register (qms) links documents to processes.
        "qms.process_documents_linked": actions.assign_for_process_link,
    },
    jobs=[
        Job("training: compliance snapshot", actions.record_snapshot_text, order=30),
        Job("training: reminders", reminders.send_due_reminders, order=40),
    ],
    # After documents': the training story trains people on its effective procedures.
    demo=[DemoStep("training", lambda: seed_training(demo.DEMO_PASSWORD), order=20)],
    renderings=pdf.archive_renderings,
    records=trail.records,
    record_classes=retention.record_classes,
    record_search=trail.record_search,
    reconcile=[
        reconcile.completed_training,
        reconcile.assignment_states,
        reconcile.competence_records,
        reconcile.session_files,
    ],
    requirements=REQUIREMENTS,  # user requirements (issue 14), traced to tests
)
