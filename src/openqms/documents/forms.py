"""Forms of the document-control pages: they read and shape input; actions decide and write."""

from __future__ import annotations

import re

from django import forms

from openqms.core.models import User
from openqms.documents.models import DocumentType, RevisionState

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


class StartRevisionForm(forms.Form):
    change_reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the document needs a new revision.",
    )


class StepForm(forms.Form):
    """A workflow step: a reason, and for signed steps what the signing dialog posts."""

    reason = forms.CharField(required=False, max_length=1000)
    password = forms.CharField(required=False, strip=False)
    otp_code = forms.CharField(required=False, max_length=20)
    content_hash = forms.CharField(required=False, max_length=64)
