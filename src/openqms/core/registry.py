"""Registries of the codes that regulated data refers to.

Permissions, audit event types and signature meanings are codes stored in rows; the
registry turns each code into words a person reads, and refuses codes nobody declared,
so a typo cannot write an event or grant a right that means nothing.
"""

from dataclasses import dataclass


class UnknownCode(LookupError):
    pass


@dataclass(frozen=True)
class Code:
    code: str
    label: str


class Registry:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._codes: dict[str, Code] = {}

    def register(self, code: str, label: str) -> str:
        existing = self._codes.get(code)
        if existing is not None and existing.label != label:
            raise ValueError(f"{self.kind} {code!r} registered twice with different labels")
        self._codes[code] = Code(code, label)
        return code

    def get(self, code: str) -> Code:
        try:
            return self._codes[code]
        except KeyError:
            raise UnknownCode(f"unknown {self.kind} {code!r}") from None

    def label(self, code: str) -> str:
        entry = self._codes.get(code)
        return entry.label if entry else code

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def all(self) -> list[Code]:
        return sorted(self._codes.values(), key=lambda c: c.code)


permissions = Registry("permission")
event_types = Registry("audit event type")
meanings = Registry("signature meaning")

# Permissions of the core. Modules register theirs in their own registry.py, which their
# module.py imports.
USER_MANAGE = permissions.register("core.user:manage", "Create, deactivate and unlock users")
ROLE_MANAGE = permissions.register("core.role:manage", "Grant and revoke roles, edit roles")
AUDIT_READ = permissions.register("core.audit:read", "Read and export the audit trail")
AUDIT_REVIEW = permissions.register(
    "core.audit:review", "Review the audit trail and sign the review (EU GMP Annex 11 §9)"
)
HEALTH_DATA_READ = permissions.register(
    "core.health_data:read", "See health data: patient details in complaints and incidents"
)
RETENTION_MANAGE = permissions.register(
    "core.retention:manage",
    "Set retention rules, place and release legal holds, dispose of records (ISO 13485 4.2.5)",
)

# Signature meanings (Part 11 §11.50(a)(3)).
for _code, _label in [
    ("authored", "Authored"),
    ("reviewed", "Reviewed"),
    ("approved", "Approved"),
    ("released", "Released"),
    ("trained", "Read and understood (trained)"),
    ("verified", "Verified"),
    ("rejected", "Rejected"),
    ("disposed", "Disposal approved"),
]:
    meanings.register(_code, _label)

# Audit event types of the core.
for _code, _label in [
    ("core.auth.signed_in", "Signed in"),
    ("core.auth.signed_out", "Signed out"),
    ("core.auth.idle_signed_out", "Signed out after the idle timeout"),
    ("core.auth.throttled", "Sign-ins refused from an address or for an account (too many)"),
    ("core.auth.sign_in_failed", "Failed sign-in"),
    ("core.auth.second_factor_failed", "Failed second-factor code"),
    ("core.auth.signing_failed", "Failed re-authentication for a signature"),
    ("core.auth.reauthentication_failed", "Failed re-authentication (wrong current password)"),
    ("core.auth.refused_while_locked", "Attempt refused: the account is locked"),
    ("core.auth.refused_busy", "Attempt refused: too many attempts on the account at once"),
    ("core.user.locked", "Account locked after failed attempts"),
    ("core.user.unlocked", "Account unlocked"),
    ("core.user.created", "User created"),
    ("core.user.updated", "User details changed"),
    ("core.user.deactivated", "User deactivated"),
    ("core.user.reactivated", "User reactivated"),
    ("core.user.password_changed", "Password changed"),
    ("core.user.password_set", "Password set by an administrator"),
    ("core.role.granted", "Role granted"),
    ("core.role.revoked", "Role revoked"),
    ("core.role.updated", "Role changed"),
    ("core.totp.enrolled", "Second factor enrolled"),
    ("core.totp.removed", "Second factor removed"),
    ("core.totp.recovery_code_used", "Recovery code used"),
    ("core.token.created", "API token created"),
    ("core.token.revoked", "API token revoked"),
    ("core.signature.signed", "Electronic signature applied"),
    ("core.signature.voided", "Signature voided"),
    ("core.workflow.transition", "Workflow step taken"),
    ("core.job.failed", "Periodic job failed (openqms tick)"),
    (
        "core.audit.unsealed_accepted",
        "Unsealed events accepted after an audit-key outage (openqms audit checkpoint "
        "--accept-unsealed)",
    ),
    ("core.audit.reviewed", "Audit trail reviewed (signed review record)"),
    ("core.health_data.read", "Health data read (patient details shown to a holder)"),
    ("core.integrity.checked", "Scheduled integrity check run (openqms verify, by openqms tick)"),
    ("core.email.failing", "Queued email failing repeatedly (still retried by openqms tick)"),
    ("core.system.migrated", "Database migrated (OpenQMS version and migrations applied)"),
    ("core.system.triggers_reinstalled", "Missing protective triggers reinstalled"),
    ("core.archive.imported", "Records imported from an archive (openqms archive import)"),
    ("core.backup.made", "Backup made (openqms backup: database, files, checkpoint)"),
    ("core.backup.restored", "Backup restored into this instance (openqms restore)"),
    ("core.demo.created", "Demo instance created (published passwords: not for real records)"),
    ("core.retention.rule_changed", "Retention rule changed"),
    ("core.hold.placed", "Legal hold placed"),
    ("core.hold.released", "Legal hold released"),
    ("core.record.disposed", "Record disposed of (signed disposition)"),
]:
    event_types.register(_code, _label)
