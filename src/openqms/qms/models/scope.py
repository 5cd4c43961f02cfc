"""The QMS scope as a versioned, signed record (ISO 13485 4.1.1, 4.2.2 a; UK MDR 2002:
the scope is fixed when the approved body assesses it).

A version is drafted (a copy of the one in force), approved by top management's
signature, put in force (the previous one is superseded in the same step) and, once the
approved body has assessed it, marked certified. Putting a version in force while an
earlier one is certified opens a ScopeNotification: the approved body must be told, and
the new version cannot be marked certified until the body answers "no reassessment
needed", or answers "reassessment required" and the reassessment is recorded as done."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr

from openqms.core.models import User
from openqms.core.registry import event_types
from openqms.qms.models.frame import Certificate, DeviceFamily, Process, Site

for _code, _label in [
    ("qms.scope.drafted", "QMS scope version drafted"),
    ("qms.scope.edited", "QMS scope draft edited"),
    ("qms.scope.submitted", "QMS scope submitted for approval"),
    ("qms.scope.approved", "QMS scope approved"),
    ("qms.scope.returned", "QMS scope returned to draft"),
    ("qms.scope.in_force", "QMS scope put in force"),
    ("qms.scope.superseded", "QMS scope superseded"),
    ("qms.scope.certified", "QMS scope marked certified"),
    ("qms.scope_notification.opened", "Approved-body notification opened"),
    ("qms.scope_notification.edited", "Approved-body notification summary edited"),
    ("qms.scope_notification.sent", "Approved body notified of a scope change"),
    ("qms.scope_notification.answered", "Approved body's answer recorded"),
    ("qms.scope_notification.reassessed", "Approved body's reassessment recorded as done"),
]:
    event_types.register(_code, _label)

OPEN_STATES = ("draft", "in_approval", "approved")


class ScopeState(models.TextChoices):
    DRAFT = "draft", "draft"
    IN_APPROVAL = "in_approval", "awaiting approval"
    APPROVED = "approved", "approved"
    IN_FORCE = "in_force", "in force"
    SUPERSEDED = "superseded", "superseded"


class ScopeVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    state = models.CharField(max_length=20, choices=ScopeState.choices, default=ScopeState.DRAFT)
    statement = models.TextField()
    sites = models.ManyToManyField(Site, related_name="scopes", blank=True)
    families = models.ManyToManyField(DeviceFamily, related_name="scopes", blank=True)
    processes = models.ManyToManyField(Process, related_name="scopes", blank=True)
    change_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    in_force_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="scopes"
    )
    certified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Only one scope is in force at a time.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="in_force"), name="qms_one_scope_in_force"
            ),
            # And only one new version is being prepared (draft, awaiting approval or
            # approved): the same constant for each open row, unique among them.
            models.UniqueConstraint(
                Substr("state", 1, 0),
                condition=Q(state__in=OPEN_STATES),
                name="qms_one_open_scope",
            ),
            models.CheckConstraint(
                condition=Q(certified_on__isnull=True) | Q(certificate__isnull=False),
                name="qms_scope_certified_with_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"QMS scope version {self.number}"

    @property
    def certified(self) -> bool:
        return self.certified_on is not None

    def signature_version(self) -> str:
        return str(self.number)

    def signature_content(self) -> dict[str, Any]:
        """The whole scope: an edit after signing shows the signature as broken."""
        return {"number": self.number, **self.content()}

    def content(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "sites": sorted(self.sites.values_list("name", flat=True)),
            "families": sorted(str(f) for f in self.families.all()),
            "processes": sorted(str(p) for p in self.processes.all()),
            "exclusions": [e.as_list() for e in self.exclusions.all()],
        }


class ExclusionKind(models.TextChoices):
    EXCLUDED = "excluded", "excluded"
    NOT_APPLICABLE = "not_applicable", "not applicable"


class ScopeExclusion(models.Model):
    """A requirement the QMS excludes or does not apply, with why (ISO 13485 4.2.2 a)."""

    scope = models.ForeignKey(ScopeVersion, on_delete=models.PROTECT, related_name="exclusions")
    clause = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=ExclusionKind.choices)
    what = models.TextField()
    justification = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["scope", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "clause"], name="qms_exclusion_clause_once")
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.get_kind_display()}"

    def as_list(self) -> list[str]:
        return [self.clause, self.kind, self.what, self.justification]


class NotificationState(models.TextChoices):
    TO_NOTIFY = "to_notify", "to notify"
    SENT = "sent", "sent, answer pending"
    ANSWERED = "answered", "answered"
    REASSESSED = "reassessed", "reassessed"


class BodyAnswer(models.TextChoices):
    NO_REASSESSMENT = "no_reassessment", "no reassessment needed"
    REQUIRED = "required", "reassessment required"


class ScopeNotification(models.Model):
    """The approved body told of a change to the certified scope, and its answer."""

    scope = models.OneToOneField(
        ScopeVersion, on_delete=models.PROTECT, related_name="notification"
    )
    certified_scope = models.ForeignKey(ScopeVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=20, choices=NotificationState.choices, default=NotificationState.TO_NOTIFY
    )
    summary = models.TextField(help_text="What changed, as told to the approved body")
    sent_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    answer = models.CharField(max_length=20, choices=BodyAnswer.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_text = models.TextField(blank=True)
    # After a "reassessment required" answer: when the body's reassessment was done, and
    # its report's reference and outcome.
    reassessed_on = models.DateField(null=True, blank=True)
    reassessment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Approved-body notification for scope version {self.scope.number}"

    @property
    def settled(self) -> bool:
        """The body answered "no reassessment needed", or its reassessment is done: the
        flag and the task close, and the version may be marked certified."""
        return self.state == NotificationState.REASSESSED or (
            self.state == NotificationState.ANSWERED and self.answer != BodyAnswer.REQUIRED
        )


# The notifications still open (to send, to answer, or a required reassessment to record):
# the same rule as `ScopeNotification.settled`, for querysets.
OPEN_NOTIFICATION = ~(
    Q(state=NotificationState.REASSESSED)
    | Q(state=NotificationState.ANSWERED, answer=BodyAnswer.NO_REASSESSMENT)
)
