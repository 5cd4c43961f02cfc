"""The process register's only writers (ISO 13485 4.1.2, 4.1.3, 4.1.5).

A change to a process is one `qms.process.saved` event with every changed field old →
new, the lists (feeds, documents, KPIs) included, so the trail shows how the QMS's
processes and their interactions changed. Processes are retired, never deleted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import Document
from openqms.qms.models import Process, ProcessKPI, ProcessRisk
from openqms.qms.registry import PROCESSES

# Fired inside the transaction when documents start serving a process: (process,
# [document ids], actor). Training assigns them to whoever must know the process.
DOCUMENTS_LINKED = "qms.process_documents_linked"


@dataclass(frozen=True)
class KPI:
    name: str
    target: str = ""
    method: str = ""
    frequency: str = ""

    def as_line(self) -> str:
        return " | ".join([self.name, self.target, self.method, self.frequency]).rstrip(" |")


def parse_kpis(text: str) -> list[KPI]:
    """One KPI a line: "name | target | how measured | how often" (only the name needed)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 4:
            raise InvalidInput(
                f"KPI line {number} has more than four parts.", fields={"kpis": "Too many |."}
            )
        parts += [""] * (4 - len(parts))
        if not parts[0]:
            raise InvalidInput(f"KPI line {number} has no name.", fields={"kpis": "Name needed."})
        found.append(
            KPI(
                clean_text(parts[0], "kpis", limit=200),
                clean_text(parts[1], "kpis", required=False, limit=200),
                clean_text(parts[2], "kpis", required=False, limit=300),
                clean_text(parts[3], "kpis", required=False, limit=100),
            )
        )
    return found


def _fields(
    *,
    code: str,
    name: str,
    owner: User,
    purpose: str,
    inputs: str,
    outputs: str,
    risk: str,
    risk_rationale: str,
    monitoring: str,
    outsourced: bool,
) -> dict:
    code = clean_text(code, "code", limit=30)
    if any(c.isspace() for c in code):
        raise InvalidInput("A process code has no spaces (e.g. PR-01).", fields={"code": "Spaces."})
    if not owner.is_active:
        raise InvalidInput(
            f"{owner.full_name} is not an active user.", fields={"owner": "Inactive."}
        )
    if risk not in ProcessRisk.values:
        raise InvalidInput("Choose the risk: low, medium or high.", fields={"risk": "Unknown."})
    return {
        "code": code,
        "name": clean_text(name, "name", limit=200),
        "owner": owner,
        "purpose": clean_text(purpose, "purpose", limit=5000),
        "inputs": clean_text(inputs, "inputs", required=False, limit=5000),
        "outputs": clean_text(outputs, "outputs", required=False, limit=5000),
        "risk": risk,
        "risk_rationale": clean_text(risk_rationale, "risk_rationale", required=False, limit=5000),
        "monitoring": clean_text(monitoring, "monitoring", required=False, limit=5000),
        "outsourced": bool(outsourced),
    }


def _check_links(
    process: Process | None, code: str, feeds: Sequence[Process], documents: Sequence[Document]
) -> None:
    others = Process.objects.filter(code__iexact=code)
    if process is not None:
        others = others.exclude(pk=process.pk)
    if others.exists():
        raise InvalidInput(f"Another process has the code {code}.", fields={"code": "Taken."})
    for fed in feeds:
        if process is not None and fed.pk == process.pk:
            raise InvalidInput("A process cannot feed itself.", fields={"feeds": "Itself."})
    # Read again under this transaction: the objects given may be older than the rows.
    retired = Process.objects.filter(pk__in=[f.pk for f in feeds], retired_at__isnull=False)
    for fed in retired.order_by("code")[:1]:
        raise InvalidInput(f"{fed} is retired.", fields={"feeds": "Retired."})
    gone = Document.objects.filter(pk__in=[d.pk for d in documents], withdrawn_at__isnull=False)
    for document in gone.order_by("number")[:1]:
        raise InvalidInput(f"{document.number} is withdrawn.", fields={"documents": "Gone."})


def _snapshot(process: Process) -> dict:
    return {
        "code": process.code,
        "name": process.name,
        "owner": process.owner.username,
        "purpose": process.purpose,
        "inputs": process.inputs,
        "outputs": process.outputs,
        "risk": process.risk,
        "risk_rationale": process.risk_rationale,
        "monitoring": process.monitoring,
        "outsourced": process.outsourced,
        "feeds": sorted(process.feeds.values_list("code", flat=True)),
        "documents": sorted(process.documents.values_list("number", flat=True)),
        "kpis": [k.as_line() for k in process.kpis.filter(retired_at__isnull=True)],
    }


def _save_kpis(process: Process, kpis: Sequence[KPI]) -> None:
    """Keep the KPIs still given (reordered), retire the others, add the new ones."""
    now = timezone.now()
    live = list(process.kpis.filter(retired_at__isnull=True))
    wanted = [k.as_line() for k in kpis]
    for kpi in live:
        if kpi.as_line() not in wanted:
            kpi.retired_at = now
            kpi.save(update_fields=["retired_at"])
    kept = {k.as_line(): k for k in live if k.as_line() in wanted}
    for position, given in enumerate(kpis):
        row = kept.pop(given.as_line(), None)
        if row is None:
            ProcessKPI.objects.create(
                process=process, position=position, added_at=now, **given.__dict__
            )
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _link(process: Process, feeds: Sequence[Process], documents: Sequence[Document]) -> list[int]:
    before = set(process.documents.values_list("pk", flat=True))
    process.feeds.set(feeds)
    process.documents.set(documents)
    return sorted({d.pk for d in documents} - before)


@audit.writing()
def create_process(
    *,
    actor: User,
    feeds: Sequence[Process] = (),
    documents: Sequence[Document] = (),
    kpis: Sequence[KPI] = (),
    **fields,
) -> Process:
    """A new process in the register (ISO 13485 4.1.2 a, b)."""
    require(actor, PROCESSES)
    values = _fields(**fields)
    _check_links(None, values["code"], feeds, documents)
    process = Process.objects.create(created_at=timezone.now(), **values)
    added = _link(process, feeds, documents)
    _save_kpis(process, kpis)
    after = _snapshot(process)
    audit.record(
        actor=actor,
        action="qms.process.saved",
        obj=process,
        changes={k: [None, v] for k, v in after.items()},
    )
    if added:
        modules.fire(DOCUMENTS_LINKED, process, added, actor)
    return process


@audit.writing()
def edit_process(
    *,
    actor: User,
    process: Process,
    feeds: Sequence[Process] = (),
    documents: Sequence[Document] = (),
    kpis: Sequence[KPI] = (),
    reason: str = "",
    **fields,
) -> Process:
    """Change a process; the event holds each changed field old → new."""
    require(actor, PROCESSES)
    process = Process.objects.select_for_update().select_related("owner").get(pk=process.pk)
    if process.retired:
        raise TransitionNotAllowed(f"{process} is retired; it cannot change.")
    values = _fields(**fields)
    _check_links(process, values["code"], feeds, documents)
    reason = clean_text(reason, "reason", required=False, limit=2000)
    before = _snapshot(process)
    for name, value in values.items():
        setattr(process, name, value)
    process.save(update_fields=list(values))
    added = _link(process, feeds, documents)
    _save_kpis(process, kpis)
    changes = audit.diff(before, _snapshot(process))
    if not changes:
        raise InvalidInput("Nothing was changed.")
    audit.record(
        actor=actor, action="qms.process.saved", obj=process, changes=changes, reason=reason
    )
    if added:
        modules.fire(DOCUMENTS_LINKED, process, added, actor)
    return process


@audit.writing()
def retire_process(*, actor: User, process: Process, reason: str) -> Process:
    """The process no longer runs: it stays readable (with its links as they were) and
    leaves the map and the pickers."""
    require(actor, PROCESSES)
    reason = clean_text(reason, "reason", limit=2000)
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.retired:
        raise TransitionNotAllowed(f"{process} is retired already.")
    process.retired_at, process.retire_reason = timezone.now(), reason
    process.save(update_fields=["retired_at", "retire_reason"])
    audit.record(
        actor=actor,
        action="qms.process.retired",
        obj=process,
        changes={"retired_at": [None, process.retired_at]},
        reason=reason,
    )
    return process
