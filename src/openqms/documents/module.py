"""Document control plugs itself in here (the checklist: docs/adding-a-module.md)."""

from openqms.core import demo
from openqms.core.modules import DemoStep, Job, Module, NavEntry
from openqms.documents import actions, hooks, inbox, pdf, reconcile, reminders, trail
from openqms.documents import registry as _codes  # noqa: F401  (permissions, event types)
from openqms.documents.actions.records import record_classes
from openqms.documents.demo import seed_documents
from openqms.documents.requirements import REQUIREMENTS


def _make_due_revisions_effective() -> str:
    return f"{len(actions.make_due_revisions_effective())} revision(s) made effective"


module = Module(
    label="documents",
    urls="openqms.documents.urls",
    url_prefix="documents/",
    api="openqms.documents.api.router",
    api_prefix="/documents",
    nav=[NavEntry("Documents", "documents:list", order=20)],
    tasks=[inbox.document_tasks],
    offers=[hooks.REVISION_EFFECTIVE, hooks.DOCUMENT_WITHDRAWN],
    # Before training's jobs: a revision made effective today assigns its training.
    jobs=[
        Job("documents: future effective dates", _make_due_revisions_effective, order=10),
        Job("documents: external document checks", actions.send_currency_check_reminders, order=15),
        Job("documents: review reminders", reminders.send_review_reminders, order=45),
    ],
    demo=[DemoStep("documents", lambda: seed_documents(demo.DEMO_PASSWORD), order=10)],
    renderings=pdf.archive_renderings,
    records=trail.records,
    record_search=trail.record_search,
    reconcile=[
        reconcile.revision_states,
        reconcile.approvals,
        reconcile.attachment_files,
        reconcile.in_force_flags,
        reconcile.named_signers,
        reconcile.named_rows,
        reconcile.review_comments,
    ],
    record_classes=record_classes,
    requirements=REQUIREMENTS,  # user requirements (issue 14), traced to tests
)
