"""Forms of the pages where a person completes training: the quiz, the signing dialog, the
evaluation of effectiveness, classroom sessions and competence records. They read and
shape input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from openqms.core.forms import SigningForm
from openqms.core.models import User
from openqms.training.models import Competency, EvaluationResult, JobRole, Quiz, RecordKind

_DATE = forms.DateInput(attrs={"type": "date"})


class QuizForm(forms.Form):
    """One radio group per question, in the quiz's order; the answer is the choice's index."""

    def __init__(self, *args, quiz: Quiz | None, **kwargs):
        super().__init__(*args, **kwargs)
        for n, question in enumerate(quiz.questions if quiz else []):
            self.fields[f"q{n}"] = forms.TypedChoiceField(
                label=f"{n + 1}. {question['text']}",
                choices=list(enumerate(question["choices"])),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer."},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.fields]


class EvaluationForm(SigningForm):
    """ISO 13485 6.2 d): how effectiveness was checked and the result, signed."""

    method = forms.CharField(max_length=200, help_text="e.g. observed at work, test, interview")
    result = forms.ChoiceField(choices=EvaluationResult.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you observed; recorded with the signature.",
    )
    field_order = ["method", "result", "comment", "password", "otp_code"]


class RoleEvaluationForm(EvaluationForm):
    """The evaluation of a person in one job role they hold: one form per role on the
    person's page, each bound (its hidden content hash) to what the evaluator was shown
    for that role (Holding.evaluation_content)."""

    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.none(), label="Job role", widget=forms.HiddenInput
    )
    field_order = ["job_role", "method", "result", "comment", "password", "otp_code"]

    def __init__(self, *args, roles: QuerySet[JobRole], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = roles  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    """A classroom session: `revisions` are those in force the recorder may see, `trainers`
    anyone active (trained on the revision, its author, or named with a reason).

    Attendees are a list of checkboxes (usable with hundreds of people, and without
    JavaScript); static/training/pick.js adds a box that filters the list by name."""

    revision = forms.ModelChoiceField(queryset=None, label="Document revision in force")  # type: ignore[var-annotated]
    trainer = forms.ModelChoiceField(queryset=None, to_field_name="username")  # type: ignore[var-annotated]
    trainer_reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Why this trainer (only if not trained on it and not its author)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. the subject-matter expert who wrote the process gives the first session.",
    )
    held_on = forms.DateField(label="Held on", widget=_DATE)
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        to_field_name="username",
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who attended (not the trainer).",
    )
    material = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was presented: slides, exercises, the sections covered.",
    )
    material_file = forms.FileField(required=False, label="Material file (optional)")

    def __init__(self, *args, revisions: QuerySet, trainers: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = revisions  # type: ignore[attr-defined]
        self.fields["trainer"].queryset = trainers  # type: ignore[attr-defined]
        self.fields["revision"].label_from_instance = lambda r: f"{r} {r.document.title}"  # type: ignore[attr-defined]
        self.fields["trainer"].label_from_instance = _person  # type: ignore[attr-defined]
        self.fields["attendees"].label_from_instance = _person  # type: ignore[attr-defined]


class CompetenceRecordForm(forms.Form):
    kind = forms.ChoiceField(choices=RecordKind.choices)
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.all(),
        required=False,
        empty_label="None",
        help_text="The competency it proves; its validity sets the expiry when left empty.",
    )
    title = forms.CharField(max_length=200)
    issuer = forms.CharField(max_length=200, required=False)
    obtained_on = forms.DateField(required=False, widget=_DATE, label="Obtained on")
    expires_on = forms.DateField(required=False, widget=_DATE, label="Expires on")
    notes = forms.CharField(required=False, max_length=4000, widget=forms.Textarea({"rows": 3}))
    file = forms.FileField(required=False, help_text="A certificate or transcript (optional).")


def _person(user: User) -> str:
    return f"{user.full_name} ({user.username})"
