"""Training and competence (ISO 13485 6.2).

Job roles say what a function must be trained on (documents by number, by type or by the
ISO 13485 clause they serve, and other competencies that can expire); people hold job
roles from a start date. An assignment asks one person to train on one revision of one
document: a training on revision A never counts for revision B, unless B's approver
decided B needs no retraining. Nothing here is deleted: roles are retired, holdings
ended, requirements removed and records withdrawn, each with who, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q

from openqms.core.models import StoredFile, User
from openqms.documents.models import Document, DocumentType, Revision


class TrainingRule(models.Model):
    """How a document type is trained on (configuration, audited when changed)."""

    doc_type = models.OneToOneField(
        DocumentType, on_delete=models.PROTECT, related_name="training_rule"
    )
    due_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days to complete training after a revision becomes effective"
    )
    # Whoever is not trained on the current revision cannot sign as its performer or
    # approver (ISO 13485 6.2 and 4.2.4: work done to the current procedure).
    gate = models.BooleanField(default=False)
    effectiveness_check = models.BooleanField(
        default=False, help_text="Each completed training waits for an effectiveness check"
    )

    def __str__(self) -> str:
        return f"Training rule of {self.doc_type}"


class Employee(models.Model):
    """What training needs to know of a person beyond their account."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="employee")
    department = models.CharField(max_length=100, blank=True)
    manager = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )

    def __str__(self) -> str:
        return str(self.user)


class CompetencyKind(models.TextChoices):
    COURSE = "course", "External course"
    QUALIFICATION = "qualification", "Qualification"
    LICENCE = "licence", "Licence or registration"
    SKILL = "skill", "Skill or experience"


class Competency(models.Model):
    """A competence that is not a document: a course, a qualification, a licence."""

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=CompetencyKind.choices)
    description = models.TextField(blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: does not expire"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """A function ("Software engineer"), not a permission role."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequirementKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    DOC_TYPE = "doc_type", "Every document of a type"
    # Clause coverage (the document's ISO 13485 clause tags), kept for existing roles;
    # processes are the register's (qms.Process), no longer stood in for by clauses.
    CLAUSE = "clause", "Every document tagged with a clause"
    PROCESS = "process", "Every document serving a process"
    COMPETENCY = "competency", "Competency"


class Requirement(models.Model):
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="requirements")
    kind = models.CharField(max_length=20, choices=RequirementKind.choices)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.CharField(max_length=20, blank=True)
    process = models.ForeignKey(
        "qms.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["job_role", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                name="training_requirement_target",
                condition=(
                    Q(
                        kind="document",
                        document__isnull=False,
                        doc_type__isnull=True,
                        competency__isnull=True,
                        process__isnull=True,
                        clause="",
                    )
                    | Q(
                        kind="doc_type",
                        document__isnull=True,
                        doc_type__isnull=False,
                        competency__isnull=True,
                        process__isnull=True,
                        clause="",
                    )
                    | Q(
                        kind="clause",
                        document__isnull=True,
                        doc_type__isnull=True,
                        competency__isnull=True,
                        process__isnull=True,
                    )
                    & ~Q(clause="")
                    | Q(
                        kind="process",
                        document__isnull=True,
                        doc_type__isnull=True,
                        competency__isnull=True,
                        process__isnull=False,
                        clause="",
                    )
                    | Q(
                        kind="competency",
                        document__isnull=True,
                        doc_type__isnull=True,
                        competency__isnull=False,
                        process__isnull=True,
                        clause="",
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.target_label()

    def target_label(self) -> str:
        if self.kind == RequirementKind.DOCUMENT:
            return f"{self.document.number} {self.document.title}"  # type: ignore[union-attr]
        if self.kind == RequirementKind.DOC_TYPE:
            return f"Every {self.doc_type.name}"  # type: ignore[union-attr]
        if self.kind == RequirementKind.CLAUSE:
            return f"Every document tagged with clause {self.clause}"
        if self.kind == RequirementKind.PROCESS:
            return f"Every document serving process {self.process}"
        return str(self.competency)


class Holding(models.Model):
    """A person holds a job role from a date; ending it keeps the history."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="job_roles_held")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="holdings")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "job_role", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "job_role"],
                condition=Q(ended_on__isnull=True),
                name="training_one_open_holding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} as {self.job_role}"

    def evaluation_content(self) -> dict:
        """What an evaluator of this person in this job role is shown (its SHA-256 is the
        `content_hash` they send back when signing the evaluation)."""
        return {
            "person": self.person.username,
            "job_role": self.job_role.name,
            "started_on": self.started_on.isoformat(),
        }


class AssignmentState(models.TextChoices):
    OPEN = "open", "open"
    COMPLETED = "completed", "completed"
    SUPERSEDED = "superseded", "closed: the revision was superseded"
    CANCELLED = "cancelled", "closed: no longer required"
    INEFFECTIVE = "ineffective", "closed: evaluated as not effective"


class Method(models.TextChoices):
    SIGNATURE = "signature", "Read and understood"
    QUIZ = "quiz", "Quiz passed, read and understood"
    SESSION = "session", "Classroom session"


LIVE_STATES = (AssignmentState.OPEN, AssignmentState.COMPLETED)


class Assignment(models.Model):
    """One person, one revision: train on it by the due date."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField(
        max_length=20, choices=AssignmentState.choices, default=AssignmentState.OPEN
    )
    reason = models.CharField(max_length=300)
    by_hand = models.BooleanField(default=False, help_text="Assigned by a person, not a job role")
    assigned_at = models.DateTimeField()
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    session = models.ForeignKey(
        "TrainingSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    needs_evaluation = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["person", "state"], name="training_assignment_person"),
            models.Index(fields=["document", "state"], name="training_assignment_doc"),
        ]
        constraints = [
            # Assignments appear exactly once per person and revision.
            models.UniqueConstraint(
                fields=["person", "revision"],
                condition=Q(state__in=["open", "completed"]),
                name="training_one_live_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name}: {self.revision}"

    def signature_version(self) -> str:
        return self.revision.label

    def signature_content(self) -> dict:
        """What “read and understood” signs: this person, this exact revision's content."""
        revision = self.revision
        return _assignment_content(
            self.person.username, self.document.number, revision.label, revision.signature_content()
        )

    @classmethod
    def signature_contents(cls, pks: Iterable[Any]) -> dict[Any, tuple[str, dict]]:
        """{pk: (signature_version, signature_content)} of many assignments in a few
        queries (`openqms verify`); each revision's content is built once."""
        rows = list(
            cls.objects.filter(pk__in=list(pks)).values_list(
                "pk", "person__username", "document__number", "revision_id"
            )
        )
        revisions = Revision.signature_contents({row[3] for row in rows})
        found = {}
        for pk, username, number, revision_id in rows:
            label, content = revisions[revision_id]
            found[pk] = (label, _assignment_content(username, number, label, content))
        return found


def _assignment_content(username: str, number: str, label: str, from_revision: dict) -> dict:
    return {
        "person": username,
        "document": number,
        "title": from_revision["title"],
        "revision": label,
        "revision_content": from_revision,
    }


class Quiz(models.Model):
    """An optional short quiz on a document; a pass is needed before signing trained."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(help_text="Correct answers needed to pass")
    questions = models.JSONField(
        default=list, help_text='[{"text": …, "choices": [...], "answer": index}]'
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return f"Quiz on {self.document.number}"


class QuizAttempt(models.Model):
    """Every attempt is kept, failed ones included, with the questions as they were asked."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="attempts")
    questions = models.JSONField()
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    attempted_at = models.DateTimeField()

    class Meta:
        ordering = ["attempted_at"]

    def __str__(self) -> str:
        return f"Attempt on {self.assignment}: {self.score}/{len(self.questions)}"


class TrainingSession(models.Model):
    """A classroom session on one revision; the trainer's signature completes attendees'
    training on that revision."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    trainer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    material = models.TextField()
    material_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    material_name = models.CharField(max_length=200, blank=True)
    # Why the record keeper named a trainer not trained on the revision ("" when trained
    # on it or its author): who may give a new procedure's first session.
    trainer_reason = models.TextField(blank=True, default="")
    attendees = models.ManyToManyField(User, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Session on {self.revision} ({self.held_on})"

    def signature_version(self) -> str:
        return self.revision.label

    def signature_content(self) -> dict:
        return {
            "document": self.revision.document.number,
            "revision": self.revision.label,
            "trainer": self.trainer.username,
            "held_on": self.held_on.isoformat(),
            "material": self.material,
            "material_sha256": self.material_file.sha256 if self.material_file else None,
            "attendees": sorted(self.attendees.values_list("username", flat=True)),
        }


class EvaluationResult(models.TextChoices):
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective (retraining assigned)"


class Evaluation(models.Model):
    """ISO 13485 6.2 d): how the effectiveness of training was checked, signed."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=200, help_text="e.g. observed at work, test, interview")
    result = models.CharField(max_length=20, choices=EvaluationResult.choices)
    comment = models.TextField()
    evaluator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField()

    class Meta:
        ordering = ["-evaluated_at"]
        constraints = [
            models.CheckConstraint(
                name="training_evaluation_subject",
                condition=Q(assignment__isnull=False, job_role__isnull=True)
                | Q(assignment__isnull=True, job_role__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.person.full_name}"

    def signature_version(self) -> str:
        return str(self.pk)

    def signature_content(self) -> dict:
        return {
            "person": self.person.username,
            "subject": str(self.assignment.revision) if self.assignment else str(self.job_role),
            "method": self.method,
            "result": self.result,
            "comment": self.comment,
        }


class RecordKind(models.TextChoices):
    EDUCATION = "education", "Education"
    QUALIFICATION = "qualification", "Qualification"
    EXPERIENCE = "experience", "Experience"
    CERTIFICATE = "certificate", "Certificate, course or licence"


class CompetenceRecord(models.Model):
    """Education, qualification, experience or an external certificate (6.2 e)."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="competence_records")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    title = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200, blank=True)
    obtained_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "-obtained_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.person.full_name})"


def percent_current(current: int, required: int) -> float:
    """The one figure of training compliance, wherever it is shown (matrix headline and
    rows, completion by document, the chart, the exports): requirements current ÷
    requirements, in percent to one decimal; 100.0 when nothing is required."""
    return round(100.0 * current / required, 1) if required else 100.0


class ComplianceSnapshot(models.Model):
    """The matrix's totals on one day, for the compliance-over-time chart."""

    day = models.DateField(unique=True)
    required = models.PositiveIntegerField()
    current = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.current}/{self.required}"

    @property
    def percent(self) -> float:
        return percent_current(self.current, self.required)


class ReminderSent(models.Model):
    """So a reminder email goes once: what it was about and when it went."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
