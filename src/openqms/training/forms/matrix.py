"""Filters of the matrix and people pages (GET): they read input; the matrix decides."""

from __future__ import annotations

from django import forms

from openqms.documents.models import Document, RevisionState
from openqms.training.models import Employee, JobRole


def departments() -> list[tuple[str, str]]:
    names = (
        Employee.objects.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    return [("", "Any department"), *((name, name) for name in names)]


class PeopleFilterForm(forms.Form):
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.filter(retired_at__isnull=True),
        required=False,
        label="Job role",
        empty_label="Any job role",
    )
    department = forms.ChoiceField(choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments()

    def filters(self) -> dict:
        """What matrix.build takes: ids and names, empty when not filtered."""
        data = self.cleaned_data
        role = data.get("job_role")
        return {"job_role": role.pk if role else None, "department": data.get("department", "")}


class MatrixFilterForm(PeopleFilterForm):
    """Only documents in force are offered: the matrix has nothing to say of the rest."""

    document = forms.ModelChoiceField(
        queryset=Document.objects.filter(revisions__state=RevisionState.EFFECTIVE).order_by(
            "number"
        ),
        to_field_name="number",
        required=False,
        empty_label="Any document",
    )

    def filters(self) -> dict:
        document = self.cleaned_data.get("document")
        return super().filters() | {"document": document.pk if document else None}
