"""Software problem reports (IEC 62304 9): numbered PR-YYYY-NNNN, investigated (9.2),
the change decided (9.3, 9.4), the fix verified (9.7), closed; linked to the quality
events' nonconformities and CAPAs (core.links) by their number."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.inputs import flag, long_text, text
from openqms.core.links import link_records
from openqms.core.models import RecordLink, User
from openqms.core.numbers import next_in_year
from openqms.core.workflow import Transition, Workflow
from openqms.design.models import ProblemReport, ProblemState, SoftwareItem, SoftwareSystem
from openqms.design.registry import EDIT, REVIEW
from openqms.events.models import Capa, Nonconformity

S = ProblemState


def _change_decided(report: Any, actor: Any) -> str | None:
    if report.change_needed is False:
        return "The investigation found no change needed: close the report instead."
    return None


def _nothing_pending(report: Any, actor: Any) -> str | None:
    if report.state == S.INVESTIGATED and report.change_needed:
        return "A change is needed: resolve the problem and verify the fix first (9.7)."
    return None


PROBLEMS = Workflow(
    model=ProblemReport,
    states=ProblemState,
    transitions=[
        Transition(
            "investigate",
            sources=(S.OPEN,),
            target=S.INVESTIGATED,
            permission=EDIT,
            event="design.problem.investigated",
            label="Record the investigation",
        ),
        Transition(
            "resolve",
            sources=(S.INVESTIGATED,),
            target=S.RESOLVED,
            permission=EDIT,
            event="design.problem.resolved",
            label="Resolve: the fix is made and verified",
            guards=(_change_decided,),
        ),
        Transition(
            "close",
            sources=(S.INVESTIGATED, S.RESOLVED),
            target=S.CLOSED,
            permission=REVIEW,
            event="design.problem.closed",
            label="Close",
            guards=(_nothing_pending,),
        ),
    ],
)


def _next_number() -> str:
    # Writers hold the audit chain lock (audit.writing), so max + 1 cannot race.
    return next_in_year(ProblemReport.objects.all(), "PR", timezone.localdate().year)


@audit.writing()
def report_problem(
    *,
    actor: User,
    system: SoftwareSystem,
    title: str,
    description: str,
    software_item: SoftwareItem | None = None,
) -> ProblemReport:
    require(actor, EDIT)
    title = text(title, "title")
    description = long_text(description, "description", required=True)
    if software_item is not None and software_item.system_id != system.pk:
        raise InvalidInput("That software item is in another system.", fields={"item": "?"})
    report = ProblemReport.objects.create(
        number=_next_number(),
        system=system,
        software_item=software_item,
        title=title,
        description=description,
        state=S.OPEN,
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.problem.reported",
        obj=report,
        changes={
            "number": [None, report.number],
            "system": [None, str(system)],
            "software_item": [None, software_item.name if software_item else None],
            "title": [None, title],
            "description": [None, description],
            "state": [None, S.OPEN],
        },
    )
    return report


def investigate_problem(
    *, actor: User, report: ProblemReport, investigation: str, change_needed: Any
) -> ProblemReport:
    updates = {
        "investigation": long_text(investigation, "investigation", required=True),
        "change_needed": flag(change_needed, "change_needed"),
    }
    return PROBLEMS.apply(obj=report, name="investigate", actor=actor, updates=updates)


def resolve_problem(*, actor: User, report: ProblemReport, verification: str) -> ProblemReport:
    updates = {"verification": long_text(verification, "verification", required=True)}
    return PROBLEMS.apply(obj=report, name="resolve", actor=actor, updates=updates)


def close_problem(*, actor: User, report: ProblemReport, comment: str = "") -> ProblemReport:
    return PROBLEMS.apply(obj=report, name="close", actor=actor, reason=str(comment or ""))


def quality_event(number: str) -> Capa | Nonconformity:
    """The CAPA or nonconformity numbered `number`."""
    number = text(number, "number", limit=30).upper()
    found = Capa.objects.filter(number=number).first() or (
        Nonconformity.objects.filter(number=number).first()
    )
    if found is None:
        raise InvalidInput(
            f"There is no CAPA or nonconformity numbered “{number}”.",
            fields={"number": "Not found."},
        )
    return found


@audit.writing()
def link_problem(*, actor: User, report: ProblemReport, number: str, note: str = "") -> RecordLink:
    """Link the report to a nonconformity or CAPA (shown on both records)."""
    require(actor, EDIT)
    record = quality_event(number)
    note = text(note, "note", required=False, limit=300)
    link = link_records(actor=actor, source=report, target=record, kind="related", note=note)
    if link is None:
        raise InvalidInput(f"{report.number} is already linked to {record.number}.")
    return link  # its event: core.link.added, on the report
