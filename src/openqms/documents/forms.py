"""Forms of the document-control pages: they read and shape input; actions decide and write."""

from __future__ import annotations

import re

from django import forms
from django.db.models import QuerySet

from openqms.core.forms import SignatureForm, SigningForm
from openqms.core.models import User
from openqms.documents.models import (
    ApprovalMode,
    DocumentType,
    ReviewOutcome,
    RevisionScheme,
    RevisionState,
)

_CLAUSE = re.compile(r"^\d+(\.\d+)*$")
_CLAUSE_HELP = "ISO 13485 clause numbers, separated by commas, e.g. 4.2.4, 7.3.2."


def _clause(value: str) -> str:
    if not _CLAUSE.match(value):
        raise forms.ValidationError(f"“{value}” is not a clause number like 4.2.4.")
    return value


class DocumentFilterForm(forms.Form):
    """The list's filters (GET). `owner` offers only the owners of documents the reader sees."""

    STATUSES = [
        ("", "Any status"),
        (RevisionState.EFFECTIVE, "effective"),
        (RevisionState.DRAFT, "has a draft"),
        (RevisionState.IN_REVIEW, "in review"),
        (RevisionState.APPROVED, "approved, not yet effective"),
        (RevisionState.OBSOLETE, "withdrawn"),
    ]

    q = forms.CharField(required=False, max_length=200, label="Search")
    doc_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.all(),
        to_field_name="code",
        required=False,
        label="Type",
        empty_label="Any type",
    )
    status = forms.ChoiceField(choices=STATUSES, required=False)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        to_field_name="username",
        required=False,
        empty_label="Anyone",
    )
    clause = forms.CharField(required=False, max_length=20, label="Clause")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["q"].widget.attrs["placeholder"] = "number, title or words"
        self.fields["clause"].widget.attrs.update(placeholder="4.2.4", size=8)

    def clean_clause(self) -> str:
        value = self.cleaned_data["clause"].strip()
        return _clause(value) if value else ""


class DocumentCreateForm(forms.Form):
    doc_type = forms.ModelChoiceField(queryset=DocumentType.objects.all(), label="Type")
    title = forms.CharField(max_length=200)
    number = forms.CharField(
        required=False,
        max_length=30,
        help_text="Leave empty to number it automatically; fill in only to keep an existing "
        "number, in the type's form (e.g. SOP-014).",
    )
    clauses = forms.CharField(required=False, max_length=500, help_text=_CLAUSE_HELP)
    change_reason = forms.CharField(max_length=2000, initial="First issue")
    body = forms.CharField(
        required=False,
        strip=False,
        label="Content (Markdown)",
        widget=forms.Textarea(attrs={"rows": 16, "class": "markdown"}),
    )

    def clean_clauses(self) -> list[str]:
        parts = [part.strip() for part in self.cleaned_data["clauses"].split(",")]
        return [_clause(part) for part in parts if part]


class RevisionEditForm(forms.Form):
    body = forms.CharField(
        required=False,
        strip=False,
        label="Content (Markdown)",
        widget=forms.Textarea(attrs={"rows": 24, "class": "markdown"}),
    )
    change_summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What changed in this revision.",
    )
    change_reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Why it changed."
    )
    effective_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to make it effective as soon as it is approved.",
    )
    # The version of the draft this copy was loaded from (actions.draft_version): a save
    # based on a copy someone else has since changed is refused, not silently applied.
    based_on = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if "based_on" in self.errors:  # a hidden field: say it where it shows
            raise forms.ValidationError(
                "This form does not say which version of the draft it was opened on, so "
                "nothing was saved. Copy your text, open the editor again and paste it."
            )
        return data  # type: ignore[return-value]


class StartRevisionForm(forms.Form):
    change_reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the document needs a new revision.",
    )


class StepForm(SignatureForm):
    """A workflow step: a reason, and for signed steps what the signing dialog posts."""

    # The approver's decision on a later revision (ISO 13485 6.2): a minor change that
    # needs no retraining, with its justification (take_step checks and keeps both).
    no_retraining = forms.BooleanField(required=False, label="No retraining needed (minor change)")
    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why people trained on the previous revision need not train on this one.",
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Add a file",
        help_text="Kept with the draft and signed with it. Adding a file reloads the page: "
        "save your text first (the page asks before unsaved text is lost).",
    )


class ReplaceFileForm(forms.Form):
    file = forms.FileField(
        label="New file",
        help_text="Keeps the name; the old file's SHA-256 stays in the audit trail.",
    )


class OwnerForm(forms.Form):
    """Hand a document to another owner; `owners` are the people who may own one."""

    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), to_field_name="username", label="New owner"
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail.",
    )

    def __init__(self, *args, owners: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class CompareForm(forms.Form):
    """Two revisions of one document; `labels` are those the reader may see."""

    _NOT_SEEN = {"invalid_choice": "There is no revision “%(value)s” of this document you may see."}
    old = forms.ChoiceField(label="Compare revision", error_messages=_NOT_SEEN)
    new = forms.ChoiceField(label="with revision", error_messages=_NOT_SEEN)

    def __init__(self, *args, labels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = self.fields["new"].choices = [(x, x) for x in labels]  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("old") and data.get("old") == data.get("new"):  # type: ignore[union-attr]
            raise forms.ValidationError("Choose two different revisions.")
        return data  # type: ignore[return-value]


class PeriodicReviewForm(SigningForm):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked, and what (if anything) must change.",
    )
    field_order = ["outcome", "comment", "password", "otp_code"]


class ExternalDocumentForm(forms.Form):
    reference = forms.CharField(max_length=100, help_text="e.g. ISO 13485:2016")
    title = forms.CharField(max_length=300)
    edition = forms.CharField(required=False, max_length=100)
    source = forms.CharField(required=False, max_length=200, help_text="Publisher or where held")
    check_interval_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=120,
        initial=12,
        label="Check its currency every (months)",
        help_text="12 if left empty. The first check is due at once; each check sets the next.",
    )

    def clean_check_interval_months(self) -> int:
        return self.cleaned_data["check_interval_months"] or 12


class ExternalCheckForm(forms.Form):
    is_current = forms.BooleanField(required=False, label="The edition held is current")
    edition = forms.CharField(required=False, max_length=100)
    notes = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where you checked; recorded in the audit trail.",
    )


class LegalHoldForm(forms.Form):
    number = forms.CharField(max_length=30, label="Document number", help_text="e.g. SOP-001")
    reason = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. the litigation or investigation that needs the records kept.",
    )


class DisposeForm(SigningForm):
    reason = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "password", "otp_code"]


RETENTION_TOO_SHORT = "At least 2 years (ISO 13485 4.2.5), or 0: kept for ever."


class DocumentTypeForm(forms.Form):
    name = forms.CharField(max_length=100)
    prefix = forms.CharField(max_length=10, help_text="Numbers look like PREFIX-001.")  # type: ignore[assignment]
    digits = forms.IntegerField(min_value=1, max_value=8)
    revision_scheme = forms.ChoiceField(choices=RevisionScheme.choices)
    review_interval_months = forms.IntegerField(
        min_value=0,
        max_value=120,
        label="Periodic review every (months)",
        help_text="0: no periodic review.",
    )
    needs_review = forms.BooleanField(required=False, label="A reviewer signs before approval")
    reviewer_cannot_approve = forms.BooleanField(
        required=False,
        label="The reviewer cannot also approve",
        help_text="Segregation of duties: whoever signed a revision as reviewed does not "
        "approve it; someone else must.",
    )
    approval_mode = forms.ChoiceField(
        choices=ApprovalMode.choices,
        label="How the named reviewers and approvers sign",
        help_text="Reviews first, then approvals. Cannot change while a revision of this "
        "type is in review.",
    )
    retention_years = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Keep for at least (years after withdrawal)",
        help_text="2 years or more (ISO 13485 4.2.5); 0: keep for ever.",
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail.",
    )

    def clean_retention_years(self) -> int:
        years: int = self.cleaned_data["retention_years"]
        if years == 1:  # the action refuses it too (API); said here next to the field
            raise forms.ValidationError(RETENTION_TOO_SHORT)
        return years


SLOTS = 3  # named reviewers and approvers offered on the page (the API takes more)


class SubmitForm(forms.Form):
    """Submit for review: who reviews, who approves (in order) and by when. One list per
    slot (usable without JavaScript and on a phone); the action checks the names."""

    due_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Reviewers and approvers are reminded as it comes and after it passes.",
    )

    def __init__(self, *args, reviewers=(), approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        for role, people in (("reviewer", reviewers), ("approver", approvers)):
            for n in range(1, SLOTS + 1):
                self.fields[f"{role}_{n}"] = forms.ModelChoiceField(
                    queryset=User.objects.filter(pk__in=[p.pk for p in people]).order_by(
                        "full_name"
                    ),
                    required=False,
                    label=f"{role.capitalize()} {n}",
                    empty_label="—",
                )
        self.order_fields([*(f for f in self.fields if f != "due_date"), "due_date"])

    def named(self, role: str) -> list[User]:
        chosen = (self.cleaned_data.get(f"{role}_{n}") for n in range(1, SLOTS + 1))
        return [p for p in chosen if p is not None]


class CommentForm(forms.Form):
    quote = forms.CharField(
        required=False,
        max_length=500,
        label="Passage (optional)",
        help_text="Copy the words the comment is about.",
    )
    text = forms.CharField(
        max_length=4000, label="Your comment", widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    reply = forms.CharField(
        required=False,
        max_length=4000,
        label="Reply (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Replace with")
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in people]
        self.fields["person"].queryset = User.objects.filter(pk__in=ids).order_by("full_name")
