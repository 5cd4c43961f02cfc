"""What core adds to the whole, through the same contract as every module."""

from openqms.core import (
    audit_reviews,
    checkpoints,
    inbox,
    integrity,
    mail,
    reconcile,
    retention_checks,
    trail_records,
)
from openqms.core.modules import LAST, Job, Module, NavEntry
from openqms.core.registry import AUDIT_READ, RETENTION_MANAGE, ROLE_MANAGE, USER_MANAGE
from openqms.core.requirements import REQUIREMENTS

module = Module(
    label="core",
    urls="openqms.core.urls",  # mounted last, at the root
    api="openqms.core.api.router",
    api_prefix="/",
    nav=[
        NavEntry("My tasks", "core:tasks", order=0),
        NavEntry("Audit trail", "core:audit", AUDIT_READ, order=90),
        NavEntry("Integrity", "core:integrity", AUDIT_READ, order=90),
        NavEntry("Users", "core:users", USER_MANAGE, order=91),
        NavEntry("Roles", "core:roles", ROLE_MANAGE, order=92),
        NavEntry("Retention", "core:retention", RETENTION_MANAGE, order=93),
    ],
    tasks=[
        inbox.locked_accounts,
        inbox.failing_emails,
        inbox.integrity_failing,
        audit_reviews.review_due,
    ],
    # Last: the other jobs queue their reminders first, then this one sends them.
    jobs=[
        # Before the checkpoint, which then signs the head that records its result.
        Job("core: integrity check", integrity.scheduled_check, order=LAST - 2),
        # Just before last: it signs the head after the other jobs' events.
        Job("core: audit checkpoint", checkpoints.tick, order=LAST - 1),
        Job("core: queued emails", mail.send_and_report, order=LAST),
    ],
    records=lambda viewer, keys: {
        **trail_records.records(viewer, keys),
        **retention_checks.records(viewer, keys),
    },
    record_search=trail_records.record_search,
    reconcile=[
        reconcile.role_grants,
        reconcile.role_definitions,
        reconcile.signature_rows,
        reconcile.active_users,
        reconcile.passwords,
        reconcile.second_factors,
        reconcile.api_tokens,
        audit_reviews.audit_trail_reviews,
        retention_checks.retention_rules,
        retention_checks.legal_holds,
        retention_checks.dispositions,
    ],
    requirements=REQUIREMENTS,  # user requirements (issue 14), traced to tests
)
