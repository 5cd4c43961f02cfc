"""Training's reconciliation checks (`openqms verify`, ISO 13485 6.2).

What training rows say now against what the trail recorded. An assignment is opened by
`training.assignment.created` (on the revision, naming the people), completed by the
`sign` step (signed "trained") or the `attend` step of a signed session (both
`training.assignment.completed` on the assignment), found not effective by
`training.assignment.ineffective`, and closed in bulk by `training.assignment.superseded`
or `.cancelled` (naming each "username: NUMBER rev LABEL"). A competence record's
expiry and file are recorded by `training.competence.added`; a session's material file
by `training.session.recorded`.
"""

from __future__ import annotations

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


def completed_training() -> Findings:
    """Every completed assignment (or one later found not effective) has its live
    "trained" signature, or was completed by the `attend` step of a session its trainer
    signed."""
    trained = _live_signed(ASSIGNMENT, "trained")
    delivered = {int(pk) for pk, _ in _live_signed(SESSION, "delivered")}
    attended = {
        object_id
        for _, _, object_id, changes in events(COMPLETED, object_type=ASSIGNMENT)
        if changes.get("step") == "attend"
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


def competence_records() -> Findings:
    """Each competence record's expiry date and file are those its event recorded."""
    said: dict[str, tuple[int, dict]] = {}
    for seq, _, object_id, changes in events("training.competence.added", object_type=RECORD):
        said[object_id] = (seq, changes)
    found = Findings()
    records = CompetenceRecord.objects.order_by("pk").values_list(
        "pk", "expires_on", "file__sha256", "person__username", "title"
    )
    for pk, expires_on, sha, username, title in records.iterator(CHUNK):
        found.checked += 1
        record = f"training.competencerecord {pk} ({username}: {title})"
        if str(pk) not in said:
            found.append(
                Finding("training: competence records", record, "no event recorded it", "exists")
            )
            continue
        seq, changes = said[str(pk)]
        expiry = expires_on.isoformat() if expires_on else None
        if changes.get("expires_on") != expiry:
            found.append(
                Finding(
                    "training: competence records",
                    record,
                    f"expires {changes.get('expires_on') or 'never'} (event #{seq})",
                    f"expires {expiry or 'never'}",
                )
            )
        if changes.get("file_sha256") != sha:
            found.append(
                Finding(
                    "training: competence records",
                    record,
                    f"file SHA-256 {changes.get('file_sha256') or 'none'} (event #{seq})",
                    f"file SHA-256 {sha or 'none'}",
                )
            )
    return found


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
