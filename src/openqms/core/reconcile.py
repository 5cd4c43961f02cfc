"""Core's reconciliation checks (`openqms verify`): users, role grants and signatures as
their rows say now, against what the audit trail recorded when they changed.

Someone with database access can re-grant a revoked role, reactivate an account or
delete a signature row without an action; the trail still holds what really happened,
and each check below compares the two, set-based: the events read by action code in
key order, the rows in one query, compared in dictionaries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from openqms.core.integrity import Finding, Findings
from openqms.core.models import AuditEvent, RoleAssignment, Signature, User

BATCH = 5000


def events(*actions: str, object_type: str = "") -> Iterator[tuple[int, str, str, dict]]:
    """(seq, action, object_id, changes) of the events with these codes, in seq order,
    read in keyset batches. Modules' checks use it too."""
    chosen = AuditEvent.objects.filter(action__in=actions)
    if object_type:
        chosen = chosen.filter(object_type=object_type)
    last = 0
    while True:
        rows = list(
            chosen.filter(seq__gt=last)
            .order_by("seq")
            .values_list("seq", "action", "object_id", "changes")[:BATCH]
        )
        if not rows:
            return
        for seq, action, object_id, changes in rows:
            yield seq, action, object_id, json.loads(changes)
        last = rows[-1][0]


def _people() -> dict[int, str]:
    return dict(User.objects.values_list("pk", "username"))


def role_grants() -> Findings:
    """Every user's current roles are those whose latest grant/revoke event is a grant,
    and there is one row per grant event."""
    trail: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for seq, action, user_id, changes in events(
        "core.role.granted", "core.role.revoked", object_type="core.user"
    ):
        role = changes["role"][1] if action == "core.role.granted" else changes["role"][0]
        trail[(int(user_id), role)].append((seq, action))
    rows: dict[tuple[int, str], list[bool]] = defaultdict(list)
    for holder, code, revoked_at in RoleAssignment.objects.values_list(
        "user_id", "role__code", "revoked_at"
    ):
        rows[(holder, code)].append(revoked_at is None)
    people, found = _people(), Findings(checked=sum(len(r) for r in rows.values()))
    for key in sorted(set(trail) | set(rows)):
        said, held = trail.get(key, []), rows.get(key, [])
        record = f"core.roleassignment: {people.get(key[0], key[0])}, role {key[1]}"
        granted = [seq for seq, action in said if action == "core.role.granted"]
        holds = bool(said) and said[-1][1] == "core.role.granted"
        if holds != any(held):
            last = f"{'granted' if holds else 'revoked'} (event #{said[-1][0]})" if said else ""
            found.append(
                Finding(
                    "core: role grants",
                    record,
                    last or "never granted",
                    "held now" if any(held) else "not held",
                )
            )
        elif len(granted) != len(held):
            found.append(
                Finding(
                    "core: role grants",
                    record,
                    f"granted {len(granted)} time(s)",
                    f"{len(held)} grant row(s)",
                )
            )
    return found


def signature_rows() -> Findings:
    """Every `core.signature.signed` event has its signature row, and a signature is
    voided exactly when a `core.signature.voided` event voided it."""
    signed = AuditEvent.objects.filter(action="core.signature.signed")
    missing = signed.exclude(seq__in=Signature.objects.values("audit_event_id"))
    found = Findings(checked=signed.count())
    for seq, object_type, object_id, changes in missing.order_by("seq").values_list(
        "seq", "object_type", "object_id", "changes"
    ):
        said = json.loads(changes)
        found.append(
            Finding(
                "core: signature rows",
                f"core.signature of event #{seq} ({object_type} {object_id})",
                f"signed “{said.get('meaning')}” by {said.get('printed_name')}, version "
                f"{said.get('version')}",
                "no signature row (deleted)",
            )
        )
    voided: dict[str, int] = {
        str(changes.get("signature")): seq for seq, _, _, changes in events("core.signature.voided")
    }
    hashes = sorted(voided)
    for start in range(0, len(hashes), 500):
        live = Signature.objects.filter(
            manifest_hash__in=hashes[start : start + 500], voided_at__isnull=True
        )
        for pk, manifest in live.values_list("pk", "manifest_hash"):
            found.append(
                Finding(
                    "core: signature rows",
                    f"core.signature {pk}",
                    f"voided (event #{voided[manifest]})",
                    "live",
                )
            )
    rows = Signature.objects.filter(voided_at__isnull=False).values_list("pk", "manifest_hash")
    for pk, manifest in rows.iterator(chunk_size=BATCH):
        if manifest not in voided:
            found.append(
                Finding("core: signature rows", f"core.signature {pk}", "never voided", "voided")
            )
    return found


def active_users() -> Findings:
    """Each user's `is_active` is what their last deactivation or reactivation recorded
    (active when created), and every user was created by an event."""
    created = {
        object_id for _, _, object_id, _ in events("core.user.created", object_type="core.user")
    }
    last: dict[str, tuple[int, bool]] = {}
    for seq, _, object_id, changes in events(
        "core.user.deactivated", "core.user.reactivated", object_type="core.user"
    ):
        last[object_id] = (seq, bool(changes["is_active"][1]))
    found = Findings()
    for pk, username, is_active in User.objects.values_list("pk", "username", "is_active"):
        found.checked += 1
        record = f"core.user {pk} ({username})"
        if str(pk) not in created:
            found.append(Finding("core: users", record, "no event created this user", "exists"))
            continue
        seq, active = last.get(str(pk), (0, True))
        if active != is_active:
            said = f"{'active' if active else 'deactivated'}" + (f" (event #{seq})" if seq else "")
            row = "active" if is_active else "deactivated"
            found.append(Finding("core: users", record, said, row))
    return found
