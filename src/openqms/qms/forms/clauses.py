"""Editing one clause of the coverage map."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.qms.models import Clause, Process


class ClauseForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="Short, in your own words.")
    applicable = forms.BooleanField(
        required=False, label="Applies to us", help_text="Untick for a clause that does not apply."
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Why it does not apply",
        help_text="Needed when the clause does not apply (ISO 13485 4.2.2 a).",
    )
    processes = forms.ModelMultipleChoiceField(
        Process.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Processes that address it",
    )
    records = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
        label="Records and evidence",
        help_text="One per line, e.g. “Calibration certificates”.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )

    def __init__(self, *args: Any, clause: Clause, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": clause.title,
                "applicable": clause.applicable,
                "justification": clause.justification,
                "processes": list(clause.processes.all()),
                "records": "\n".join(clause.records),
                "notes": clause.notes,
            },
        )
        super().__init__(*args, **kwargs)
        current = Process.objects.filter(retired_at__isnull=True)
        mapped = Process.objects.filter(clauses=clause)
        self.fields["processes"].queryset = (current | mapped).distinct()  # type: ignore[attr-defined]

    def clean_records(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["records"].splitlines() if line.strip()]
