"""Vigilance forms: a clock rule, an incident report's content, its submission (signed)
and its due date. The actions check everything again; these only shape the page."""

from __future__ import annotations

from django import forms

from openqms.core.forms import SignatureForm
from openqms.events.models import REPORTABLE, ReportState, ReportType

DATE = forms.DateInput(attrs={"type": "date"})
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AREA = forms.Textarea(attrs={"rows": 3})


class ClockRuleForm(forms.Form):
    category = forms.ChoiceField(choices=[(c.value, c.label) for c in REPORTABLE])
    days = forms.IntegerField(
        min_value=1, max_value=365, help_text="Days after the day of awareness"
    )
    effective_from = forms.DateField(widget=DATE, label="In force from")
    legal_reference = forms.CharField(max_length=300, label="Legal reference")


class ReportForm(forms.Form):
    title = forms.CharField(max_length=200)
    device_name = forms.CharField(max_length=200, required=False, label="Device name")
    device_model = forms.CharField(max_length=100, required=False, label="Model")
    device_class = forms.CharField(max_length=100, required=False, label="Class")
    gmdn_code = forms.CharField(max_length=20, required=False, label="GMDN code")
    basic_udi_di = forms.CharField(max_length=200, required=False, label="Basic UDI-DI")
    udi_di = forms.CharField(max_length=200, required=False, label="UDI-DI")
    serial = forms.CharField(max_length=100, required=False, label="Serial number")
    lot = forms.CharField(max_length=100, required=False, label="Lot or batch")
    software_version = forms.CharField(max_length=100, required=False)
    event_description = forms.CharField(widget=AREA, max_length=10_000, label="What happened")
    incident_date = forms.DateField(widget=DATE, required=False, label="Date of the incident")
    patient_outcome = forms.CharField(widget=AREA, max_length=10_000, required=False)
    investigation = forms.CharField(widget=AREA, max_length=10_000, required=False)
    root_cause = forms.CharField(widget=AREA, max_length=10_000, required=False)
    actions_taken = forms.CharField(widget=AREA, max_length=10_000, required=False)
    actions_planned = forms.CharField(widget=AREA, max_length=10_000, required=False)
    manufacturer_comments = forms.CharField(
        widget=AREA, max_length=10_000, required=False, label="Manufacturer's comments"
    )


class NewReportForm(ReportForm):
    report_type = forms.ChoiceField(choices=ReportType.choices, label="Report")
    field_order = ["report_type"]


class SubmitForm(SignatureForm):
    mhra_reference = forms.CharField(max_length=100, label="MHRA reference")
    submitted_at = forms.DateTimeField(widget=MOMENT, label="Submitted on (UK time)")


class DueForm(forms.Form):
    due_at = forms.DateTimeField(widget=MOMENT, required=False, label="Due by (UK time)")


class ReportFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any"), *ReportState.choices], required=False)
    report_type = forms.ChoiceField(
        choices=[("", "any"), *ReportType.choices], required=False, label="Type"
    )
    q = forms.CharField(required=False, max_length=100, label="Number or title")
