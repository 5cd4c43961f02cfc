"""Training's reconciliation checks (`openqms verify`, ISO 13485 6.2).

What training rows say now against what the trail recorded. An assignment is opened by
`training.assignment.created` (on the revision, naming the people), completed by the
`sign` step (signed "trained") or the `attend` step of a signed session (both
`training.assignment.completed` on the assignment), found not effective by
`training.assignment.ineffective`, and closed in bulk by `training.assignment.superseded`
or `.cancelled` (naming each "username: NUMBER rev LABEL"). A competence record's
person, kind, title, competency, dates and file are recorded by
`training.competence.added`, its withdrawal by `training.competence.withdrawn`; a
session's material file by `training.session.recorded`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from openqms.core.integrity import Finding, Findings
from openqms.core.models import Signature, User
from openqms.core.reconcile import events
from openqms.documents.models import Revision
from openqms.training.models import (
    Assignment,
    AssignmentState,
    CompetenceRecord,
    Method,
    TrainingSession,
)

S = AssignmentState
ASSIGNMENT, SESSION, RECORD = (
    "training.assignment",
    "training.trainingsession",
    "training.competencerecord",
)
CREATED, COMPLETED, INEFFECTIVE = (
    "training.assignment.created",
    "training.assignment.completed",
    "training.assignment.ineffective",
)
CLOSES = ("training.assignment.superseded", "training.assignment.cancelled")
CHUNK = 5000


def _live_signed(object_type: str, meaning: str) -> set[tuple[str, str]]:
    return set(
        Signature.objects.filter(object_type=object_type, meaning=meaning, voided_at__isnull=True)
        .values_list("object_id", "object_version")
        .iterator(chunk_size=CHUNK)
    )


def _assignments():
    return Assignment.objects.order_by("pk").values_list(
        "pk",
        "state",
        "method",
        "session_id",
        "person_id",
        "revision_id",
        "person__username",
        "document__number",
        "revision__label",
    )


def _record(pk: int, username: str, number: str, label: str) -> str:
    return f"training.assignment {pk} ({username}: {number} rev {label})"


def by_attending(changes: dict) -> bool:
    """Whether a completion event is a session's `attend` step. Release 0.1.0 named no
    step: it wrote `method: session` alone (a person's own signature says `sign`), and
    an instance upgraded from it keeps those events."""
    step = changes.get("step")
    return step == "attend" or (step is None and changes.get("method") == Method.SESSION)


def completed_training() -> Findings:
    """Every completed assignment (or one later found not effective) has its live
    "trained" signature, or was completed by the `attend` step of a session its trainer
    signed."""
    trained = _live_signed(ASSIGNMENT, "trained")
    delivered = {int(pk) for pk, _ in _live_signed(SESSION, "delivered")}
    attended = {
        object_id
        for _, _, object_id, changes in events(COMPLETED, object_type=ASSIGNMENT)
        if by_attending(changes)
    }
    found = Findings()
    done = _assignments().filter(state__in=[S.COMPLETED, S.INEFFECTIVE])
    for pk, state, method, session, _, _, username, number, label in done.iterator(CHUNK):
        found.checked += 1
        if (str(pk), label) in trained:
            continue
        if method == Method.SESSION and str(pk) in attended and session in delivered:
            continue
        trail = "no “trained” signature and no signed session completed it"
        found.append(
            Finding(
                "training: completed training",
                _record(pk, username, number, label),
                trail,
                f"{state} (method: {method or 'none'})",
            )
        )
    return found


def assignment_states() -> Findings:
    """Each assignment's state is the one its last event recorded: opened by the event
    that assigned it, then completed, found not effective or closed."""
    people = dict(User.objects.values_list("username", "pk"))
    revisions = {
        (number, label): pk
        for pk, number, label in Revision.objects.values_list("pk", "document__number", "label")
    }
    rows = {}
    keyed: dict[tuple[int, int], list[int]] = defaultdict(list)  # (person, revision): pks
    for pk, state, _, _, person, revision, username, number, label in _assignments().iterator(
        CHUNK
    ):
        rows[pk] = (state, _record(pk, username, number, label))
        keyed[(person, revision)].append(pk)
    opened: dict[tuple[int, int], int] = defaultdict(int)
    said: dict[int, tuple[int, str]] = {}
    found = Findings(checked=len(rows))

    def trail_only(record: str, what: str) -> None:
        found.append(Finding("training: assignment states", record, what, "no assignment row"))

    for seq, action, object_id, changes in events(CREATED, COMPLETED, INEFFECTIVE, *CLOSES):
        if action == CREATED:
            for username in changes["people"]:
                key = (people.get(username, 0), int(object_id))
                if opened[key] < len(keyed[key]):
                    said[keyed[key][opened[key]]] = (seq, S.OPEN)
                    opened[key] += 1
                else:
                    trail_only(f"{username}: revision {object_id}", f"assigned (event #{seq})")
        elif action in (COMPLETED, INEFFECTIVE):
            if int(object_id) in rows:
                said[int(object_id)] = (seq, changes["state"][1])
            else:
                trail_only(f"training.assignment {object_id}", f"{action} (event #{seq})")
        else:
            for name in changes["assignments"]:
                username, _, revision = name.partition(": ")
                number, _, label = revision.rpartition(" rev ")
                key = (people.get(username, 0), revisions.get((number, label), 0))
                live = [pk for pk in keyed[key][: opened[key]] if said[pk][1] == S.OPEN]
                if live:
                    said[live[-1]] = (seq, changes["state"][1])
                else:
                    trail_only(name, f"an open assignment closed (event #{seq})")
    for pk, (state, record) in rows.items():
        seq, recorded = said.get(pk, (0, ""))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else "no event assigned it"
            found.append(Finding("training: assignment states", record, trail, state))
    return found


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _competence_said() -> dict[str, tuple[int, dict, tuple[int, str | None]]]:
    """Per record: (seq, changes) of its `added` event, and (seq, withdrawn_at) of its last
    `withdrawn` event ((0, None) when never withdrawn)."""
    added: dict[str, tuple[int, dict]] = {}
    withdrawn: dict[str, tuple[int, str | None]] = {}
    for seq, action, object_id, changes in events(
        "training.competence.added", "training.competence.withdrawn", object_type=RECORD
    ):
        if action == "training.competence.added":
            added[object_id] = (seq, changes)
        else:
            withdrawn[object_id] = (seq, changes["withdrawn_at"][1])
    return {k: (seq, c, withdrawn.get(k, (0, None))) for k, (seq, c) in added.items()}


def competence_records() -> Findings:
    """Each competence record is what its `added` event recorded (the person, kind, title,
    competency, dates and file) and is withdrawn exactly when, and as, its last
    `withdrawn` event recorded: a certificate moved to another person or competency, or a
    withdrawal set or cleared in the database, is found."""
    said = _competence_said()
    found = Findings()
    records = CompetenceRecord.objects.order_by("pk").values_list(
        "pk",
        "person__username",
        "kind",
        "title",
        "competency__name",
        "obtained_on",
        "expires_on",
        "file__sha256",
        "withdrawn_at",
    )
    for (
        pk,
        username,
        kind,
        title,
        competency,
        obtained,
        expires,
        sha,
        withdrawn,
    ) in records.iterator(CHUNK):
        found.checked += 1
        record = f"training.competencerecord {pk} ({username}: {title})"
        if str(pk) not in said:
            found.append(
                Finding("training: competence records", record, "no event recorded it", "exists")
            )
            continue
        seq, changes, (withdrawn_seq, withdrawn_said) = said[str(pk)]
        title_said = (changes.get("title") or [None, None])[1]
        pairs = [
            ("person", changes.get("person"), username),
            ("kind", changes.get("kind"), kind),
            ("title", title_said, title),
            ("competency", changes.get("competency"), competency),
            ("obtained", changes.get("obtained_on"), _iso(obtained)),
            ("expires", changes.get("expires_on"), _iso(expires)),
            ("file SHA-256", changes.get("file_sha256"), sha),
        ]
        for what, trail, row in pairs:
            if trail != row:
                found.append(
                    Finding(
                        "training: competence records",
                        record,
                        f"{what} {_shown(what, trail)} (event #{seq})",
                        f"{what} {_shown(what, row)}",
                    )
                )
        row_withdrawn = (
            withdrawn.astimezone(dt.UTC).isoformat(timespec="microseconds") if (withdrawn) else None
        )
        if withdrawn_said != row_withdrawn:
            trail = (
                f"withdrawn at {withdrawn_said} (event #{withdrawn_seq})"
                if withdrawn_seq
                else f"never withdrawn (recorded by event #{seq})"
            )
            found.append(
                Finding(
                    "training: competence records",
                    record,
                    trail,
                    f"withdrawn at {row_withdrawn}" if row_withdrawn else "not withdrawn",
                )
            )
    return found


def _shown(what: str, value: str | None) -> str:
    if value is None:
        return "never" if what == "expires" else "none"
    return value


def session_files() -> Findings:
    """Each classroom session's material file is the one its event recorded."""
    said = {
        object_id: (seq, changes.get("material_sha256"))
        for seq, _, object_id, changes in events("training.session.recorded", object_type=SESSION)
    }
    found = Findings()
    sessions = TrainingSession.objects.order_by("pk").values_list("pk", "material_file__sha256")
    for pk, sha in sessions.iterator(CHUNK):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, "(no event)"))
        if recorded != sha:
            found.append(
                Finding(
                    "training: session files",
                    f"training.trainingsession {pk}",
                    f"material file SHA-256 {recorded or 'none'}"
                    + (f" (event #{seq})" if seq else ""),
                    f"material file SHA-256 {sha or 'none'}",
                )
            )
    return found
