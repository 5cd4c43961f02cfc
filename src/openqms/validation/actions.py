"""Validation's writers: storing a report that `openqms validate` made, the QA lead's
signed approval, and the record of the version installed in this database.

Who stores a report: nobody signed in. `openqms validate` is run by whoever administers
the server; the report it stores is the system's own record of what it found, attributed
like every command's events to "system (openqms validate (OS user …))". The accountable
person is the QA lead, whose signature approves it; a `--as USER` option would only name
someone who vouches for nothing more, so there is none.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.models import AuditEvent, User
from openqms.core.numbers import next_in_year
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.validation.errors import InstanceChanged
from openqms.validation.models import ReportState, ValidationReport
from openqms.validation.registry import APPROVE, APPROVED, INSTALLED, STORED, UPGRADED


def files_changed_message(report: ValidationReport) -> str | None:
    """Refuses approval when a report file's bytes are not those stored (checked before
    the password and again under the lock): the signature binds their SHA-256."""
    changed = report.changed_files()
    if not changed:
        return None
    return (
        f"The report's {' and '.join(changed)} file no longer matches the SHA-256 recorded "
        "when it was stored: it cannot be approved. Run `openqms verify` and "
        "`openqms validate` again."
    )


def _passed_only(report: ValidationReport, actor: User) -> str | None:
    if report.passed:
        return None
    return (
        "This validation failed: approving it accepts its deviations, so the approval "
        "must say why each is acceptable (a comment is required)."
    )


def _failed_only(report: ValidationReport, actor: User) -> str | None:
    return "This validation passed: approve it as it is." if report.passed else None


def _files(report: ValidationReport, actor: User) -> str | None:
    return files_changed_message(report)


# A failed validation may still be approved (a PostgreSQL-only test skipped on SQLite, a
# deviation the QA lead assesses as harmless), but never silently: its approval is a
# step of its own that requires the QA lead's justification, recorded with the signature.
APPROVAL = Workflow(
    model=ValidationReport,
    states=ReportState,
    transitions=[
        Transition(
            "approve",
            sources=(ReportState.AWAITING,),
            target=ReportState.APPROVED,
            permission=APPROVE,
            event=APPROVED,
            label="Approve the validation report",
            signature="approved",
            guards=(_passed_only, _files),
        ),
        Transition(
            "approve_with_deviations",
            sources=(ReportState.AWAITING,),
            target=ReportState.APPROVED,
            permission=APPROVE,
            event=APPROVED,
            label="Approve the failed validation, its deviations justified",
            signature="approved",
            reason_required=True,
            guards=(_failed_only, _files),
        ),
    ],
)


Head = tuple[int, str] | None  # (seq, hash) of the chain's last event; None: empty chain


def chain_head() -> Head:
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return (head[0], head[1]) if head else None


def last_approved() -> ValidationReport | None:
    return (
        ValidationReport.objects.filter(state=ReportState.APPROVED)
        .select_related("json_file")
        .order_by("-stored_at", "-pk")
        .first()
    )


def _next_number(year: int) -> str:
    """VR-YYYY-NNNN in order (the writer holds the chain's lock)."""
    return next_in_year(ValidationReport.objects.all(), "VR", year)


@audit.writing()
def store_report(
    *,
    body: dict,
    json_bytes: bytes,
    pdf_bytes: bytes,
    compared_with: ValidationReport | None,
    expected_head: Head,
) -> ValidationReport:
    """Keep the report files and the record in one transaction, under the chain's lock.

    `expected_head` is the chain's head before OQ began: if anything was appended since,
    OQ (which must run on a scratch copy) wrote to this instance, or the instance was
    used meanwhile, and the report cannot claim OQ left it untouched: nothing is stored."""
    head = chain_head()
    if head != expected_head:
        before, after = (expected_head or (0, ""))[0], (head or (0, ""))[0]
        raise InstanceChanged(
            "OQ wrote to the instance: the audit chain moved during the run "
            f"(from event #{before} to #{after})."
            " Nothing was stored; run `openqms validate` again while nobody uses the instance."
        )
    if compared_with != last_approved():
        raise InstanceChanged(
            "Another validation report was approved while this one was made; nothing was "
            "stored. Run `openqms validate` again."
        )
    now = timezone.now()
    counts = body["counts"]
    report = ValidationReport.objects.create(
        number=_next_number(timezone.localdate(now).year),
        version=body["environment"]["openqms"],
        engine=body["environment"]["database"],
        started_at=dt.datetime.fromisoformat(body["started_at"]),
        finished_at=dt.datetime.fromisoformat(body["finished_at"]),
        passed=body["passed"],
        iq_passed=body["iq"]["passed"],
        oq_passed=body["oq"]["passed"],
        counts=counts,
        json_file=files.store(io.BytesIO(json_bytes)),
        pdf_file=files.store(io.BytesIO(pdf_bytes)),
        compared_with=compared_with,
        stored_at=now,
    )
    audit.record(
        actor=None,
        action=STORED,
        obj=report,
        changes={
            "number": report.number,
            "version": report.version,
            "passed": report.passed,
            "counts": counts,
            "json_sha256": report.json_file.sha256,
            "pdf_sha256": report.pdf_file.sha256,
            "compared_with": compared_with.number if compared_with else None,
        },
    )
    return report


def approve_report(
    *, actor: User, report: ValidationReport, credentials: Credentials | None, comment: str = ""
) -> ValidationReport:
    """The QA lead's signature "approved" through core's signed step (the table above);
    a failed validation's approval needs the comment that justifies its deviations."""
    name = "approve" if report.passed else "approve_with_deviations"
    return APPROVAL.apply(
        obj=report, name=name, actor=actor, reason=comment, credentials=credentials
    )


def recorded_version() -> str | None:
    """The version the trail last recorded as installed here (None: never recorded). The
    trail is the memory: one tamper-evident place, nothing else to keep in step."""
    found = (
        AuditEvent.objects.filter(action__in=(INSTALLED, UPGRADED))
        .order_by("-seq")
        .values_list("changes", flat=True)
        .first()
    )
    return None if found is None else json.loads(found)["to"]


FIRST_RECORDED_RELEASE = "0.1.0"
MIGRATE_EVENTS = ("core.system.migrated", "core.system.triggers_reinstalled")


def _earlier_version(version: str) -> str | None:
    """The last other version `migrate` recorded (core.system.migrated) before this one:
    the release this database is upgraded from when validation arrives with the upgrade."""
    for text in (
        AuditEvent.objects.filter(action="core.system.migrated")
        .order_by("-seq")
        .values_list("changes", flat=True)
        .iterator()
    ):
        found = json.loads(text).get("openqms_version")
        if found and found != version:
            return found
    # Release 0.1.0 recorded no version (core.system.migrated came after it), and every
    # build before that event called itself 0.1.0: a database holding records but no
    # recorded version was made by it.
    made_before = AuditEvent.objects.exclude(action__in=MIGRATE_EVENTS)
    if version != FIRST_RECORDED_RELEASE and made_before.exists():
        return FIRST_RECORDED_RELEASE
    return None


@audit.writing()
def record_version(*, version: str, installing: bool) -> str | None:
    """After `migrate`: write `core.system.upgraded` {from, to} when the version differs
    from the one recorded, nothing when it is the same. `installing`: this `migrate`
    created validation's tables, so nothing can be recorded yet: `core.system.installed`
    {from: None, to}, or `core.system.upgraded` from the version `migrate` recorded before
    (an upgrade from a release without this module). A database that has validation's
    tables but no recorded version (its migrations ran with AUDIT_MIGRATIONS off, as in
    tests) gets nothing: there is no honest "from" to write. Returns the event written."""
    before = recorded_version()
    if before is None and not installing:
        return None
    if before is None:
        before = _earlier_version(version)
    if before == version:
        return None
    action = INSTALLED if before is None else UPGRADED
    audit.record(
        actor=None,
        action=action,
        object_type="core.database",
        object_id="default",
        changes={"from": before, "to": version},
    )
    return action
