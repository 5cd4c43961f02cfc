"""Document control's reconciliation checks (`openqms verify`, ISO 13485 4.2.4, 4.2.5).

What a revision's row says now — its state, its attachments — against what the trail
recorded: the lifecycle events (`state: [old, new]`, core.workflow), the legacy import,
the attachment events (each records the file's SHA-256) and the approval signatures. A
revision set effective in the database without approval, or an original file swapped
together with its recorded hash, shows here.
"""

from __future__ import annotations

from openqms.core.integrity import Finding, Findings
from openqms.core.models import AuditEvent, Signature
from openqms.core.reconcile import events
from openqms.documents.actions.lifecycle import LIFECYCLE
from openqms.documents.models import (
    Attachment,
    Document,
    ReviewAssignment,
    ReviewComment,
    Revision,
    RevisionState,
)

S = RevisionState
REVISION = "documents.revision"
DRAFTED, IMPORTED, EFFECTIVE = (
    "documents.revision.drafted",
    "documents.revision.imported",
    "documents.revision.effective",
)
ADDED, REMOVED = "documents.attachment.added", "documents.attachment.removed"
# A file carried forward to a new draft, or replaced under its name: each event records
# the file the row now holds, as an addition does.
CARRIED, REPLACED = "documents.attachment.carried_forward", "documents.attachment.replaced"


def _record(pk: int, number: str, label: str) -> str:
    return f"documents.revision {pk} ({number} rev {label})"


def _revisions():
    return Revision.objects.order_by("pk").values_list("pk", "state", "document__number", "label")


def revision_states() -> Findings:
    """Each revision's state is the one its last lifecycle event recorded."""
    codes = {t.event for t in LIFECYCLE.transitions.values()} | {DRAFTED, IMPORTED}
    said: dict[str, tuple[int, str]] = {}
    for seq, action, object_id, changes in events(*sorted(codes), object_type=REVISION):
        said[object_id] = (seq, S.DRAFT if action == DRAFTED else changes["state"][1])
    found = Findings()
    for pk, state, number, label in _revisions().iterator(chunk_size=5000):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, ""))
        if recorded != state:
            trail = f"{recorded} (event #{seq})" if seq else "no event wrote this revision"
            found.append(
                Finding("documents: revision states", _record(pk, number, label), trail, state)
            )
    return found


def approvals() -> Findings:
    """Every approved, effective or superseded revision has its live approval signature,
    and every effective or superseded one the event that made it effective (a legacy
    import, approved on paper, has its import event instead)."""
    signed = set(
        Signature.objects.filter(object_type=REVISION, meaning="approved", voided_at__isnull=True)
        .values_list("object_id", "object_version")
        .iterator(chunk_size=5000)
    )
    made = set(
        AuditEvent.objects.filter(action=EFFECTIVE, object_type=REVISION)
        .values_list("object_id", flat=True)
        .iterator(chunk_size=5000)
    )
    imported = set(
        AuditEvent.objects.filter(action=IMPORTED, object_type=REVISION)
        .values_list("object_id", flat=True)
        .iterator(chunk_size=5000)
    )
    found = Findings()
    approved = _revisions().filter(state__in=[S.APPROVED, S.EFFECTIVE, S.SUPERSEDED])
    for pk, state, number, label in approved.iterator(chunk_size=5000):
        found.checked += 1
        key, record = str(pk), _record(pk, number, label)
        if key in imported:
            continue
        if (key, label) not in signed:
            found.append(
                Finding("documents: approvals", record, "no live approval signature", state)
            )
        if state != S.APPROVED and key not in made:
            found.append(
                Finding("documents: approvals", record, "no event made it effective", state)
            )
    return found


_ROLE_OF = {"reviewed": "reviewer", "approved": "approver"}


def named_signers() -> Findings:
    """On a revision submitted to named people, every live review or approval signature
    is by a person named in that role whose row says they signed, and every standing row
    that says so has its live signature."""
    said: set[tuple[str, str, int]] = set()  # (revision, role, person): row says signed
    standing: set[tuple[str, str, int]] = set()  # ...and the row still stands
    submitted: set[str] = set()
    rows = ReviewAssignment.objects.values_list(
        "revision_id", "role", "person_id", "signed_at", "ended_at"
    )
    for revision_id, role, person_id, signed_at, ended_at in rows.iterator(chunk_size=5000):
        submitted.add(str(revision_id))
        if signed_at is not None:
            said.add((str(revision_id), role, person_id))
            if ended_at is None:
                standing.add((str(revision_id), role, person_id))
    labels = {
        str(pk): (number, label)
        for pk, number, label in Revision.objects.filter(pk__in=list(submitted)).values_list(
            "pk", "document__number", "label"
        )
    }
    found, signed = Findings(), set()
    signatures = Signature.objects.filter(
        object_type=REVISION,
        object_id__in=list(submitted),
        meaning__in=list(_ROLE_OF),
        voided_at__isnull=True,
    ).values_list("object_id", "object_version", "meaning", "signer_id", "printed_name")
    for object_id, version, meaning, signer_id, printed in signatures.iterator(chunk_size=5000):
        number, label = labels[object_id]
        if version != label:
            continue
        found.checked += 1
        key = (object_id, _ROLE_OF[meaning], signer_id)
        signed.add(key)
        if key not in said:
            found.append(
                Finding(
                    "documents: named signers",
                    _record(int(object_id), number, label),
                    f"{printed} not named as {key[1]}, or not recorded as signed",
                    f"live “{meaning}” signature by {printed}",
                )
            )
    for key in sorted(standing - signed):
        number, label = labels[key[0]]
        found.append(
            Finding(
                "documents: named signers",
                _record(int(key[0]), number, label),
                f"user {key[2]} recorded as signed as {key[1]}",
                "no live signature",
            )
        )
    return found


SUBMITTED, REJECTED = "documents.revision.submitted", "documents.revision.rejected"
REASSIGNED = "documents.review.reassigned"
COMMENTED, RESOLVED = "documents.comment.added", "documents.comment.resolved"

Named = tuple[str, str, int, str]  # (role, username, position, due date)


def _named_by_the_trail() -> dict[str, tuple[int, set[Named]]]:
    """Per revision: the named people the trail leaves standing (the last submission's
    names, as reassignments replaced them; nobody once returned to draft), with the
    seq of the last event that said so."""
    said: dict[str, tuple[int, set[Named]]] = {}
    for seq, action, object_id, changes in events(
        SUBMITTED, REASSIGNED, REJECTED, object_type=REVISION
    ):
        _, names = said.get(object_id, (0, set()))
        if action == SUBMITTED:
            due = changes.get("due_date", "")
            names = {
                (role, username, position, due)
                for role, key in (("reviewer", "reviewers"), ("approver", "approvers"))
                for position, username in enumerate(changes.get(key, []), start=1)
            }
        elif action == REJECTED:
            names = set()
        else:
            role = changes["role"]
            old, new = changes[role]
            gone = next((n for n in names if n[0] == role and n[1] == old), None)
            if gone is not None:
                names = (names - {gone}) | {(role, new, gone[2], gone[3])}
        said[object_id] = (seq, names)
    return said


def named_rows() -> Findings:
    """The named reviewers and approvers standing on each revision (role, person,
    position, due date) are those its submission and reassignment events named: a row
    inserted, deleted, or changed to another person or date in the database shows."""
    said = _named_by_the_trail()
    rows: dict[str, set[Named]] = {}
    live = ReviewAssignment.objects.filter(ended_at__isnull=True).values_list(
        "revision_id", "role", "person__username", "position", "due_date"
    )
    found = Findings()
    for revision_id, role, username, position, due in live.iterator(chunk_size=5000):
        found.checked += 1
        rows.setdefault(str(revision_id), set()).add((role, username, position, due.isoformat()))
    keys = sorted(set(said) | set(rows), key=int)
    labels = dict(
        (str(pk), (number, label))
        for pk, number, label in Revision.objects.filter(pk__in=keys).values_list(
            "pk", "document__number", "label"
        )
    )

    def shown(names: set[Named]) -> str:
        return "; ".join(f"{r} {u} #{p} due {d}" for r, u, p, d in sorted(names)) or "nobody"

    for key in keys:
        seq, expected = said.get(key, (0, set()))
        actual = rows.get(key, set())
        if expected != actual and key in labels:
            number, label = labels[key]
            trail = f"{shown(expected)} (event #{seq})" if seq else "nobody named"
            found.append(
                Finding(
                    "documents: named rows",
                    _record(int(key), number, label),
                    trail,
                    shown(actual),
                )
            )
    return found


def review_comments() -> Findings:
    """Each review comment is the one its event recorded (text, quote), resolved exactly
    when a resolution event says so (with its reply), and every recorded comment has its
    row: approval waits for open comments, so a comment deleted or marked resolved in the
    database would let a revision through unseen."""
    said: dict[int, dict] = {}
    for seq, action, object_id, changes in events(COMMENTED, RESOLVED, object_type=REVISION):
        pk = int(changes["comment"])
        if action == COMMENTED:
            said[pk] = {
                "seq": seq,
                "revision": object_id,
                "text": changes.get("text", ""),
                "quote": changes.get("quote", ""),
                "resolved": False,
                "reply": "",
            }
        elif pk in said:
            said[pk] |= {"seq": seq, "resolved": True, "reply": changes.get("reply", "")}
    found, rows = Findings(), set()
    comments = ReviewComment.objects.order_by("pk").values_list(
        "pk", "revision_id", "text", "quote", "resolved_at", "reply"
    )
    for pk, revision_id, text, quote, resolved_at, reply in comments.iterator(chunk_size=5000):
        found.checked += 1
        rows.add(pk)
        now = {
            "revision": str(revision_id),
            "text": text,
            "quote": quote,
            "resolved": resolved_at is not None,
            "reply": reply,
        }
        trail = said.get(pk)
        record = f"documents.reviewcomment {pk} of documents.revision {revision_id}"
        if trail is None:
            found.append(Finding("documents: review comments", record, "no event", "a comment"))
            continue
        differ = [k for k, v in now.items() if trail[k] != v]
        if differ:
            found.append(
                Finding(
                    "documents: review comments",
                    record,
                    ", ".join(f"{k}: {trail[k]!r}" for k in differ) + f" (event #{trail['seq']})",
                    ", ".join(f"{k}: {now[k]!r}" for k in differ),
                )
            )
    for pk in sorted(set(said) - rows):
        trail = said[pk]
        found.append(
            Finding(
                "documents: review comments",
                f"documents.reviewcomment {pk} of documents.revision {trail['revision']}",
                f"added (event #{trail['seq']})",
                "no comment row",
            )
        )
    return found


def attachment_files() -> Findings:
    """Every attachment is the file its event recorded (name and SHA-256), and every file
    the trail says is attached has its row."""
    said: dict[tuple[str, str], tuple[int, str | None]] = {}
    codes = (ADDED, CARRIED, REPLACED, REMOVED, IMPORTED)
    for seq, action, object_id, changes in events(*codes, object_type=REVISION):
        if action == IMPORTED:
            if changes.get("source", "").lower().endswith(".md"):
                continue  # a Markdown import is the body itself, not an attachment
            said[(object_id, changes["source"])] = (seq, changes["sha256"])
        else:
            name = changes["attachment"][0] if action == REMOVED else changes["attachment"][1]
            said[(object_id, name)] = (seq, None if action == REMOVED else changes["sha256"])
    found, rows = Findings(), set()
    attachments = Attachment.objects.order_by("pk").values_list(
        "pk",
        "revision_id",
        "name",
        "stored_file__sha256",
        "revision__document__number",
        "revision__label",
    )
    for pk, revision_id, name, sha, number, label in attachments.iterator(chunk_size=5000):
        found.checked += 1
        key = (str(revision_id), name)
        rows.add(key)
        seq, recorded = said.get(key, (0, None))
        if recorded != sha:
            trail = f"SHA-256 {recorded[:16]}… (event #{seq})" if recorded else "not attached"
            found.append(
                Finding(
                    "documents: attachment files",
                    f"documents.attachment {pk} “{name}” of {number} rev {label}",
                    trail,
                    f"SHA-256 {sha[:16]}…",
                )
            )
    for (revision_key, name), (seq, recorded) in sorted(said.items()):
        if recorded is not None and (revision_key, name) not in rows:
            found.append(
                Finding(
                    "documents: attachment files",
                    f"attachment “{name}” of documents.revision {revision_key}",
                    f"attached, SHA-256 {recorded[:16]}… (event #{seq})",
                    "no attachment row",
                )
            )
    return found


def in_force_flags() -> Findings:
    """Each document's "in force" flag (what ordinary readers' lists are read from)
    agrees with its revisions: set exactly while one of them is effective. The revisions'
    states are checked against the trail above, so a flag set by hand shows here."""
    effective = set(
        Revision.objects.filter(state=S.EFFECTIVE).values_list("document_id", flat=True)
    )
    found = Findings()
    rows = Document.objects.order_by("pk").values_list("pk", "number", "in_force")
    for pk, number, in_force in rows.iterator(chunk_size=5000):
        found.checked += 1
        if in_force != (pk in effective):
            says = "a revision in force" if pk in effective else "no revision in force"
            row = "in force" if in_force else "not in force"
            found.append(
                Finding("documents: in force", f"documents.document {pk} ({number})", says, row)
            )
    return found
