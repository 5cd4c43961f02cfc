"""Forms of the training configuration pages: they read and shape input; actions decide
and write (an out-of-range number or a duplicate name is the action's to refuse)."""

from __future__ import annotations

from django import forms

from openqms.core.models import User
from openqms.documents.models import Document, DocumentType, RevisionState
from openqms.qms.models import Process
from openqms.training.models import Competency, CompetencyKind, RequirementKind

QUIZ_MAX = 20  # questions; save_quiz refuses more


def _people() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        to_field_name="username",
    )


def _documents(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Document.objects.filter(withdrawn_at__isnull=True).order_by("number"),
        to_field_name="number",
        **kwargs,
    )


def _date(**kwargs) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class JobRoleForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="A function, e.g. “Software engineer”.")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequirementForm(forms.Form):
    """What a job role requires: fill in the one field its kind names."""

    kind = forms.ChoiceField(choices=RequirementKind.choices, label="Requires")
    document = _documents(required=False, empty_label="—")
    doc_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.order_by("name"),
        to_field_name="code",
        required=False,
        label="Document type",
        empty_label="—",
    )
    clause = forms.CharField(
        required=False, max_length=20, help_text="ISO 13485 clause tag, e.g. 7.3"
    )
    process = forms.ModelChoiceField(
        queryset=Process.objects.filter(retired_at__isnull=True).order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="—",
        help_text="From the process register",
    )
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.all(), required=False, empty_label="—"
    )

    # The field each kind needs, and what to say when it is left empty (walk finding 13).
    NEEDS: dict[str, tuple[str, str]] = {
        RequirementKind.DOCUMENT: ("document", "Choose the document."),
        RequirementKind.DOC_TYPE: ("doc_type", "Choose the document type."),
        RequirementKind.CLAUSE: ("clause", "Give the clause."),
        RequirementKind.PROCESS: ("process", "Choose the process."),
        RequirementKind.COMPETENCY: ("competency", "Choose the competency."),
    }

    def clean(self) -> dict:
        data = super().clean() or {}
        need = self.NEEDS.get(str(data.get("kind", "")))
        if need is not None and not data.get(need[0]) and need[0] not in self.errors:
            self.add_error(need[0], need[1])
        return data


class HoldingForm(forms.Form):
    person = _people()
    started_on = _date(required=False, label="From", help_text="Empty: today.")


class EndHoldingForm(forms.Form):
    ended_on = _date(required=False, label="Ended on", help_text="Empty: today.")
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EmployeeForm(forms.Form):
    department = forms.CharField(required=False, max_length=100)
    manager = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        to_field_name="username",
        required=False,
        empty_label="No manager",
    )


class CompetencyForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=CompetencyKind.choices)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    validity_months = forms.IntegerField(
        required=False, label="Valid for (months)", help_text="Empty: does not expire."
    )


class TrainingRuleForm(forms.Form):
    due_days = forms.IntegerField(
        label="Days to complete training",
        help_text="Counted from the day a revision becomes effective (1–365).",
    )
    gate = forms.BooleanField(
        required=False,
        label="Training gate: whoever is not trained on the revision in force cannot sign "
        "as its reviewer, approver or performer",
    )
    effectiveness_check = forms.BooleanField(
        required=False, label="Each completed training waits for an effectiveness check"
    )
    reason = forms.CharField(
        max_length=2000,
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit trail with the change, e.g. “CAPA-012: untrained approvals”.",
    )


class AssignForm(forms.Form):
    person = _people()
    document = _documents(help_text="The revision in force is assigned.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only documents with a revision in force: there is nothing else to train on.
        in_force = Document.objects.filter(revisions__state=RevisionState.EFFECTIVE)
        field = self.fields["document"]
        field.queryset = field.queryset.filter(pk__in=in_force)

    due_date = _date()
    reason = forms.CharField(
        max_length=300, help_text="e.g. induction, retraining after a nonconformance"
    )


class QuizEditForm(forms.Form):
    """A pass mark and a fixed number of question blocks (no JavaScript needed); blocks
    left empty are ignored. Answers are numbered from 1 on the page, from 0 in the quiz."""

    pass_mark = forms.IntegerField(help_text="Correct answers needed to pass.")

    def __init__(self, *args, blocks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = min(blocks, QUIZ_MAX)
        for n in range(1, self.blocks + 1):
            self.fields[f"q{n}_text"] = forms.CharField(
                required=False, max_length=500, label=f"Question {n}"
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                required=False,
                label="Choices, one per line (2 to 6)",
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"q{n}_answer"] = forms.IntegerField(
                required=False, label="Number of the right choice"
            )

    def question_blocks(self) -> list[list]:
        return [
            [self[f"q{n}_{part}"] for part in ("text", "choices", "answer")]
            for n in range(1, self.blocks + 1)
        ]

    def questions(self) -> list[dict]:
        data, found = self.cleaned_data, []
        for n in range(1, self.blocks + 1):
            text, answer = data.get(f"q{n}_text", ""), data.get(f"q{n}_answer")
            choices = [c.strip() for c in data.get(f"q{n}_choices", "").splitlines()]
            choices = [c for c in choices if c]
            if not text and not choices:
                continue
            index = answer - 1 if isinstance(answer, int) else None
            found.append({"text": text, "choices": choices, "answer": index})
        return found

    @staticmethod
    def initial_for(pass_mark: int, questions: list[dict]) -> dict:
        initial: dict = {"pass_mark": pass_mark}
        for n, q in enumerate(questions, start=1):
            initial[f"q{n}_text"] = q["text"]
            initial[f"q{n}_choices"] = "\n".join(q["choices"])
            initial[f"q{n}_answer"] = q["answer"] + 1
        return initial
