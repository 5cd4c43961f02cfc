"""The process form: it reads and shapes input; qms.actions.processes decides (a taken
code, a process feeding itself, an inactive owner are the action's to refuse)."""

from __future__ import annotations

from django import forms

from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.documents.models import Document
from openqms.qms.actions.processes import KPI, parse_kpis
from openqms.qms.models import Process, ProcessRisk

_AREA = {"rows": 3}


class ProcessForm(forms.Form):
    code = forms.CharField(max_length=30, help_text="Short and unique, e.g. PR-05.")
    name = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        to_field_name="username",
        help_text="Who answers for the process working.",
    )
    purpose = forms.CharField(max_length=5000, widget=forms.Textarea(attrs=_AREA))
    inputs = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs=_AREA))
    outputs = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs=_AREA))
    feeds = forms.ModelMultipleChoiceField(
        queryset=Process.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Feeds (its outputs go to)",
    )
    risk = forms.ChoiceField(choices=ProcessRisk.choices, initial=ProcessRisk.MEDIUM)
    risk_rationale = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=_AREA),
        label="Why this risk",
        help_text="The risk-based approach (ISO 13485 4.1.2 b): what goes wrong if it fails.",
    )
    kpis = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="KPIs",
        help_text="One a line: name | target | how measured | how often.",
    )
    monitoring = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=_AREA),
        label="Other monitoring",
    )
    outsourced = forms.BooleanField(
        required=False, label="Outsourced (done in part or whole by another organisation)"
    )
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.filter(withdrawn_at__isnull=True).order_by("number"),
        to_field_name="number",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Controlled documents serving it",
    )
    reason = forms.CharField(
        required=False, max_length=2000, help_text="Why it changes (shown in the trail)."
    )

    def __init__(self, *args, process: Process | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = Process.objects.filter(retired_at__isnull=True).order_by("code")
        if process is not None:
            others = others.exclude(pk=process.pk)
        else:
            del self.fields["reason"]
        self.fields["feeds"].queryset = others  # type: ignore[attr-defined]

    def clean_kpis(self) -> list[KPI]:
        try:
            return parse_kpis(self.cleaned_data["kpis"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


def initial_of(process: Process) -> dict:
    return {
        "code": process.code,
        "name": process.name,
        "owner": process.owner.username,
        "purpose": process.purpose,
        "inputs": process.inputs,
        "outputs": process.outputs,
        "feeds": [p.code for p in process.feeds.all()],
        "risk": process.risk,
        "risk_rationale": process.risk_rationale,
        "kpis": "\n".join(k.as_line() for k in process.kpis.filter(retired_at__isnull=True)),
        "monitoring": process.monitoring,
        "outsourced": process.outsourced,
        "documents": [d.number for d in process.documents.all()],
    }
