"""Core's reconciliation checks (`openqms verify`): users, their passwords, second factors
and API tokens, roles and their grants, and signatures as their rows say now, against
what the audit trail recorded when they changed.

Someone with database access can re-grant a revoked role, reactivate an account or
delete a signature row without an action; the trail still holds what really happened,
and each check below compares the two, set-based: the events read by action code in
key order, the rows in one query, compared in dictionaries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core.integrity import Finding, Findings
from openqms.core.models import (
    ApiToken,
    AuditEvent,
    Role,
    RoleAssignment,
    Signature,
    User,
    fingerprint,
)

BATCH = 5000


def events(*actions: str, object_type: str = "") -> Iterator[tuple[int, str, str, dict]]:
    """(seq, action, object_id, changes) of the events with these codes, in seq order:
    one query, streamed in chunks (memory stays flat). Modules' checks use it too."""
    chosen = AuditEvent.objects.filter(action__in=actions)
    if object_type:
        chosen = chosen.filter(object_type=object_type)
    rows = chosen.order_by("seq").values_list("seq", "action", "object_id", "changes")
    for seq, action, object_id, changes in rows.iterator(chunk_size=BATCH):
        yield seq, action, object_id, json.loads(changes)


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
    # NOT EXISTS, an anti-join: PostgreSQL runs NOT IN (subquery) row by row once the
    # subquery outgrows work_mem.
    missing = signed.exclude(Exists(Signature.objects.filter(audit_event_id=OuterRef("seq"))))
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
            found.append(
                Finding("core: active users", record, "no event created this user", "exists")
            )
            continue
        seq, active = last.get(str(pk), (0, True))
        if active != is_active:
            said = f"{'active' if active else 'deactivated'}" + (f" (event #{seq})" if seq else "")
            row = "active" if is_active else "deactivated"
            found.append(Finding("core: active users", record, said, row))
    return found


ROLE_FIELDS = ("name", "permissions", "requires_second_factor")


def role_definitions() -> Findings:
    """Each role's name, permissions and second-factor rule are those last recorded: by
    `core.system.migrated` (the definitions the migrations seeded or changed) or by
    `core.role.updated` (an administrator's change). A permission added in the database
    or a second factor turned off there is found. A role whose definition was never
    recorded (seeded before OpenQMS recorded them) is counted in the note, not found."""
    known: dict[str, dict[str, tuple[int, object]]] = defaultdict(dict)
    for seq, action, object_id, changes in events("core.system.migrated", "core.role.updated"):
        if action == "core.system.migrated":
            for code, definition in (changes.get("roles") or {}).items():
                known[code] |= {f: (seq, definition[f]) for f in ROLE_FIELDS if f in definition}
        else:
            known[object_id] |= {f: (seq, changes[f][1]) for f in ROLE_FIELDS if f in changes}
    found, unrecorded = Findings(), 0
    rows = Role.objects.order_by("code").values_list("code", *ROLE_FIELDS)
    for code, name, permissions, second in rows:
        found.checked += 1
        said = known.get(code, {})
        unrecorded += any(f not in said for f in ROLE_FIELDS)
        row = {"name": name, "permissions": sorted(permissions), "requires_second_factor": second}
        for what, (seq, value) in said.items():
            if value != row[what]:
                found.append(
                    Finding(
                        "core: role definitions",
                        f"core.role {code}",
                        f"{what} {_role_value(what, value)} (event #{seq})",
                        f"{what} {_role_value(what, row[what])}",
                    )
                )
    if unrecorded:
        found.note = f"{unrecorded} role(s) with a definition never recorded: not checkable"
    return found


def _role_value(what: str, value: object) -> str:
    if what == "permissions" and isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "none"
    if what == "requires_second_factor":
        return "required" if value else "not required"
    return f"“{value}”"


PASSWORD_EVENTS = ("core.user.created", "core.user.password_changed", "core.user.password_set")


def _last_fingerprints(*actions: str, key: str) -> dict[str, tuple[int, str | None]]:
    """Per object: (seq, the fingerprint its last event of these codes recorded, or None
    when that event predates fingerprints)."""
    last: dict[str, tuple[int, str | None]] = {}
    for seq, _, object_id, changes in events(*actions):
        last[object_id] = (seq, changes.get(key))
    return last


def passwords() -> Findings:
    """Each user's stored password hash is the one their last password event recorded
    (its fingerprint, the SHA-256 of the stored hash): a hash copied from another user
    in the database, to sign as them, is found. Users whose last password event predates
    fingerprints are counted in the note."""
    said = _last_fingerprints(*PASSWORD_EVENTS, key="password_fingerprint")
    found, unrecorded = Findings(), 0
    for pk, username, stored in User.objects.order_by("pk").values_list(
        "pk", "username", "password"
    ):
        found.checked += 1
        seq, recorded = said.get(str(pk), (0, None))
        if seq and recorded is None:
            unrecorded += 1
        elif recorded != fingerprint(stored):
            found.append(
                Finding(
                    "core: passwords",
                    f"core.user {pk} ({username})",
                    f"password hash with fingerprint {recorded[:16]}… (event #{seq})"
                    if recorded
                    else "no event set a password",
                    "a different password hash (set without an action)",
                )
            )
    if unrecorded:
        found.note = f"{unrecorded} user(s) last set a password before fingerprints: not checkable"
    return found


def second_factors() -> Findings:
    """Each user's confirmed authenticator is the one their last enrolment recorded (its
    key's fingerprint), and they have none after a removal or without an enrolment: a
    key copied or a device added in the database is found."""
    said = _last_fingerprints("core.totp.enrolled", "core.totp.removed", key="device_fingerprint")
    removed = {
        object_id: seq
        for seq, _, object_id, _ in events("core.totp.removed", object_type="core.user")
    }
    devices: dict[str, list[str]] = defaultdict(list)
    for user_id, key in TOTPDevice.objects.filter(confirmed=True).values_list("user_id", "key"):
        devices[str(user_id)].append(fingerprint(key))
    people, found, unrecorded = _people(), Findings(), 0
    for user_id in sorted(set(said) | set(devices), key=int):
        found.checked += 1
        seq, recorded = said.get(user_id, (0, None))
        ended = removed.get(user_id) == seq
        held = devices.get(user_id, [])
        if seq and not ended and recorded is None:
            unrecorded += 1
            continue
        expected = [] if not seq or ended else [recorded]
        if held != expected:
            trail = (
                f"an authenticator with key fingerprint {recorded[:16]}… (event #{seq})"
                if expected and recorded
                else (f"removed (event #{seq})" if seq else "never enrolled")
            )
            found.append(
                Finding(
                    "core: second factors",
                    f"core.user {user_id} ({people.get(int(user_id), user_id)})",
                    trail,
                    f"{len(held)} confirmed authenticator(s)"
                    + ("" if not held or not expected else ", with another key"),
                )
            )
    if unrecorded:
        found.note = f"{unrecorded} user(s) enrolled before fingerprints: not checkable"
    return found


def api_tokens() -> Findings:
    """Each API token belongs to the user its creation recorded, with the hash its
    fingerprint names, and is revoked exactly when a revocation recorded it."""
    created: dict[str, tuple[int, dict]] = {}
    revoked: set[str] = set()
    for seq, action, object_id, changes in events(
        "core.token.created", "core.token.revoked", object_type="core.apitoken"
    ):
        if action == "core.token.created":
            created[object_id] = (seq, changes)
        else:
            revoked.add(object_id)
    found, unrecorded = Findings(), 0
    rows = ApiToken.objects.order_by("pk").values_list(
        "pk", "prefix", "user__username", "token_hash", "revoked_at"
    )
    for pk, prefix, username, token_hash, revoked_at in rows.iterator(chunk_size=BATCH):
        found.checked += 1
        record = f"core.apitoken {pk} ({prefix}…)"
        if str(pk) not in created:
            found.append(Finding("core: api tokens", record, "no event created it", "exists"))
            continue
        seq, changes = created[str(pk)]
        owner = changes["user"][1]
        recorded = changes.get("token_fingerprint")
        unrecorded += recorded is None
        problems = []
        if owner != username:
            problems.append((f"made for {owner} (event #{seq})", f"belongs to {username}"))
        if recorded is not None and recorded != fingerprint(token_hash):
            problems.append(
                (f"token hash fingerprint {recorded[:16]}… (event #{seq})", "another token hash")
            )
        if (str(pk) in revoked) != (revoked_at is not None):
            problems.append(
                (
                    "revoked" if str(pk) in revoked else "never revoked",
                    "revoked" if revoked_at else "not revoked",
                )
            )
        found += [Finding("core: api tokens", record, trail, row) for trail, row in problems]
    if unrecorded:
        found.note = f"{unrecorded} token(s) created before fingerprints: hash not checkable"
    return found
