"""The periodic jobs that `openqms tick` runs (schedule it every few minutes: systemd timer
or cron, docs/admin-guide.md). Modules declare theirs with an order in their module.py;
core's email sender runs last so the reminders other jobs queue go out in the same tick.

Each job runs on its own: one that fails is recorded in the audit trail
(`core.job.failed`, with its name and error) and the others still run (healthchecks'
`sendalerts` works the same way). Jobs do their own transactions and claim their rows, so
two ticks at once never do the same work twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from openqms.core import audit, modules

log = logging.getLogger(__name__)


class StillFailing(Exception):
    """Raised by a job that did its work but leaves a standing problem, one it has put in
    the audit trail itself (e.g. undeliverable email): the tick exits non-zero, without a
    `core.job.failed` event at every run."""


@dataclass(frozen=True)
class Outcome:
    job: str
    ok: bool
    said: str  # the job's own line, or the error


def run_jobs() -> list[Outcome]:
    return [_run(job) for job in modules.jobs()]


def _run(job: modules.Job) -> Outcome:
    try:
        return Outcome(job.name, True, job.run())
    except StillFailing as problem:
        log.warning("periodic job %r: %s", job.name, problem)
        return Outcome(job.name, False, str(problem))
    except Exception as error:  # one failing job must not stop the others
        log.exception("periodic job %r failed", job.name)
        said = f"{type(error).__name__}: {error}"[:2000]
        _record_failure(job.name, said)
        return Outcome(job.name, False, said)


@transaction.atomic
def _record_failure(name: str, error: str) -> None:
    audit.record(
        actor=None,
        action="core.job.failed",
        object_type="core.job",
        object_id=name,
        changes={"job": name, "error": error},
    )
