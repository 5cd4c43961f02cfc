"""Core records: users, roles, the audit trail, signatures and API tokens.

Only `openqms.core.actions` (and the audit and signature modules it calls) writes them.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import hashers
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

USERNAME_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]{1,62}$",
    "Use 2–63 lower-case letters, digits, dots, hyphens or underscores, starting with a "
    "letter or digit.",
)


def fingerprint(stored: str) -> str:
    """What the trail records of a stored secret (a password's salted hash, an
    authenticator's key, an API token's hash): its SHA-256, which `openqms verify`
    compares with the row and which gives nothing usable to whoever reads the trail."""
    return hashlib.sha256(stored.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=username)


class UserQuerySet(models.QuerySet["User"]):
    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)


class User(AbstractBaseUser):
    """A person. Never deleted and never renamed: a username names one person forever."""

    username = models.CharField(max_length=63, unique=True, validators=[USERNAME_VALIDATOR])
    full_name = models.CharField(max_length=200, help_text="Printed in signature manifestations")
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    failed_sign_ins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # When the last attempt was claimed (actions.auth): tells attempts still being checked
    # from claims that a server which stopped mid-check left behind.
    attempt_claimed_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Set by an administrator's reset: a password the person did not choose signs nothing
    # and opens nothing but the change-password page (Part 11 §11.300(b), §11.100).
    must_change_password = models.BooleanField(default=False)
    # Hashes of the last OPENQMS_PASSWORD_HISTORY passwords, newest first (no reuse).
    password_history = models.JSONField(default=list, blank=True)
    # Bumped on deactivation and lockout: every open session ends (see session hash).
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager.from_queryset(UserQuerySet)()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    def _get_session_auth_hash(self, secret=None) -> str:
        """Sessions carry this hash; a new generation ends every session of the person."""
        return salted_hmac(
            "openqms.core.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def check_password(self, raw_password: str | None) -> bool:
        # Without Django's silent rehash: the stored hash changes only through an audited
        # action, whose event records its fingerprint for `openqms verify`.
        return hashers.check_password(raw_password, self.password)

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def delete(self, *args, **kwargs):
        raise TypeError("Users are deactivated, never deleted (21 CFR 11.10(e)).")


class Role(models.Model):
    """A permission role: a named set of permission codes."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    permissions = models.JSONField(default=list)
    requires_second_factor = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self) -> RoleAssignmentQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """One grant of a role to a user; revoking keeps the row, so history stays."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    granted_at = models.DateTimeField()
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    grant_reason = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True),
                name="core_one_current_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_id} → {self.user_id}"


class AuditEvent(models.Model):
    """One link of the append-only, hash-chained audit trail (Part 11 §11.10(e)).

    Triggers installed by migration 0002 refuse UPDATE and DELETE on this table.
    `changes` is stored as canonical JSON text, exactly the bytes that were hashed.
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", db_index=True
    )
    actor_name = models.CharField(max_length=250)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    changes = models.TextField(default="{}")
    reason = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 of `hash` under a key derived from the instance's audit key (core.keys):
    # proves OpenQMS wrote the event. Not hashed, so the chain format is unchanged and
    # events written before a key existed (blank) still verify; checkpoints cover those.
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class Checkpoint(models.Model):
    """A signed statement about the audit chain: its head (`seq`, `head_hash`) at `at`,
    with the row count of every table. Signed with the instance's Ed25519 key over
    `checkpoints.signed_text`, chained to the one before by its signature, and also
    written to the checkpoint log outside the database (core.checkpoints)."""

    seq = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    counts = models.TextField()  # canonical JSON {table: rows}
    key_id = models.CharField(max_length=16)
    previous = models.CharField(max_length=100, blank=True)  # the last one's signature
    signature = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} up to event #{self.seq}"


class Signature(models.Model):
    """An electronic signature (Part 11 §11.50, §11.70): bound to one object version."""

    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signatures")
    printed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    meaning = models.CharField(max_length=50)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    object_version = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    manifest_hash = models.CharField(max_length=64, unique=True)
    audit_event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "object_version"])]
        constraints = [
            models.UniqueConstraint(
                fields=["signer", "object_type", "object_id", "object_version", "meaning"],
                condition=Q(voided_at__isnull=True),
                name="core_one_signature_per_meaning",
            )
        ]

    def __str__(self) -> str:
        return f"{self.printed_name}, {self.meaning}, {self.object_type}:{self.object_id}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class StoredFile(models.Model):
    """File content, stored once under its SHA-256 (content-addressed, deduplicated)."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["-stored_at"]

    def __str__(self) -> str:
        return self.sha256

    @property
    def path(self) -> str:
        return f"sha256/{self.sha256[:2]}/{self.sha256}"


class QueuedEmail(models.Model):
    """An email written in the transaction of the change it tells about, and sent by
    `openqms tick`: a rolled-back change sends nothing, and a request that reaches 2,000
    people does not wait for the mail server."""

    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.JSONField()
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # After a failure, not tried again before this (back-off; core/mail.py).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Which tick is sending it (and since when), so two ticks never send it twice.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "failures"], name="core_email_unsent")]

    def __str__(self) -> str:
        return self.subject


class AuditReview(models.Model):
    """A signed review of the audit trail over a period (EU GMP Annex 11 §9: audit trails
    reviewed regularly). Created and signed in one step (core.actions.reviews) and never
    changed afterwards (database triggers refuse UPDATE and DELETE).

    It keeps what was reviewed — the days (in `time_zone`), the trail filter used, and
    which events that view held (how many, the first and last sequence numbers and the
    last one's hash) — and what the reviewer found, or that they found nothing."""

    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    period_from = models.DateField()
    period_to = models.DateField()
    time_zone = models.CharField(max_length=64)
    # The trail page's filter, as its query parameters, e.g. {"record": "SOP-001"}.
    filter = models.JSONField(default=dict, blank=True)
    events = models.PositiveIntegerField()
    first_seq = models.BigIntegerField(null=True, blank=True)
    last_seq = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)
    findings = models.TextField(blank=True)
    no_findings = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period_to", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")),
                name="core_audit_review_period",
            ),
            # Findings described, or "no findings" said explicitly: never silence.
            models.CheckConstraint(
                condition=(Q(no_findings=True) & Q(findings=""))
                | (Q(no_findings=False) & ~Q(findings="")),
                name="core_audit_review_findings",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit-trail review {self.period_from:%d %b %Y} – {self.period_to:%d %b %Y}"

    def signature_version(self) -> str:
        return str(self.pk)

    def signature_content(self) -> dict:
        """What the reviewer signs (meaning "reviewed"): the view reviewed and the findings."""
        return {**review_scope(self), "findings": self.findings, "no_findings": self.no_findings}


def review_scope(review: AuditReview) -> dict:
    """The view of the trail a review covers, as the reviewer was shown it."""
    return {
        "period_from": review.period_from.isoformat(),
        "period_to": review.period_to.isoformat(),
        "time_zone": review.time_zone,
        "filter": dict(sorted(review.filter.items())),
        "events": review.events,
        "first_seq": review.first_seq,
        "last_seq": review.last_seq,
        "last_hash": review.last_hash,
    }


# Retention (ISO 13485 4.2.5)


class CountedFrom(models.TextChoices):
    CLOSED = "closed", "after the record is closed"
    END_OF_SUPPORT = "end_of_support", "after its devices' end of support"
    LAST_PLACED = "last_placed", "after its devices were last placed on the market"


class RetentionRule(models.Model):
    """How long the records of one class are kept (ISO 13485 4.2.5): set by an
    administrator or QA lead over what the module proposes (core.retention), never below
    the class's minimum nor the minimum the named regulation sets. Changed only by
    core.actions.retention.set_retention_rule, audited old → new with a reason."""

    record_class = models.CharField(max_length=150, unique=True)
    years = models.PositiveSmallIntegerField()  # 0: kept for ever
    counted_from = models.CharField(max_length=20, choices=CountedFrom.choices)
    # The regulation that sets this rule's minimum ("EU MDR Annex IX 8: 10 years"), and
    # that minimum: a per-regulation floor on top of the class's own.
    regulation = models.CharField(max_length=200, blank=True)
    minimum_years = models.PositiveSmallIntegerField(default=0)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["record_class"]

    def __str__(self) -> str:
        return f"Retention of {self.record_class}"


class RecordHold(models.Model):
    """A legal hold on any record (by its trail key): while it is on, the record cannot be
    disposed of, whatever its retention."""

    record_class = models.CharField(max_length=150)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    reason = models.TextField()
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"Hold on {self.object_type} {self.object_id}"


class RecordDisposition(models.Model):
    """The signed decision that a record's retention has run out and it is disposed of
    (meaning "disposed"); one per record, never changed afterwards."""

    record_class = models.CharField(max_length=150)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    label = models.CharField(max_length=300)  # the record's name when it was disposed of
    reason = models.TextField()
    retention_ended = models.DateField()
    disposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField()

    class Meta:
        ordering = ["-disposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="core_one_disposition_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"Disposition of {self.label}"

    def signature_version(self) -> str:
        return "1"

    def signature_content(self) -> dict:
        return {
            "record_class": self.record_class,
            "record": [self.object_type, self.object_id],
            "label": self.label,
            "reason": self.reason,
            "retention_ended": self.retention_ended.isoformat(),
        }


class RecordLink(models.Model):
    """A link between two records of any modules, by their trail keys (object type and
    id): a complaint and the CAPA it raised, a nonconformity and the FSCA it opened, a
    CAPA and the document revision it changed. Links are shown both ways (from either
    end) and drawn as a small graph on each record. A link is never deleted: removing it
    stamps `removed_at` with a reason, and both are audited (core.links)."""

    from_type = models.CharField(max_length=100)
    from_id = models.CharField(max_length=100)
    to_type = models.CharField(max_length=100)
    to_id = models.CharField(max_length=100)
    # What the link says, read from → to: "raised" (the complaint raised the CAPA),
    # "reported" (the complaint was reported in the incident report), "related",
    # "duplicate" (from is a duplicate of to), "changed" (the CAPA changed the revision).
    kind = models.CharField(max_length=30)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    removed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["from_type", "from_id"], name="core_link_from"),
            models.Index(fields=["to_type", "to_id"], name="core_link_to"),
        ]
        constraints = [
            # One live link of a kind between two records (removed ones stay on record).
            models.UniqueConstraint(
                fields=["from_type", "from_id", "to_type", "to_id", "kind"],
                condition=models.Q(removed_at__isnull=True),
                name="core_one_live_link",
            ),
            models.CheckConstraint(
                condition=~(
                    models.Q(from_type=models.F("to_type")) & models.Q(from_id=models.F("to_id"))
                ),
                name="core_link_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"Link {self.from_type} {self.from_id} —{self.kind}→ {self.to_type} {self.to_id}"
