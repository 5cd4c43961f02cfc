"""Forms of post-market surveillance pages. Fields arrive as text; the actions parse
and check them (core.inputs), so a page and the API refuse the same input alike."""

from __future__ import annotations

from django import forms

from openqms.core.forms import SignatureForm
from openqms.devices.models import Device
from openqms.events.models import PmsReportState

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    document = forms.CharField(
        max_length=50, label="Controlled document number", help_text="For example PLN-002"
    )


class ReportDetailsForm(forms.Form):
    document = forms.CharField(
        max_length=50,
        required=False,
        label="The report (controlled document number)",
        help_text="Write and approve the report as a controlled document, then name it here.",
    )
    conclusions = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)


class CompleteForm(SignatureForm):
    """The completion signature (the password again, the content hash shown)."""


class ReportFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any"), *PmsReportState.choices], required=False)
    due = forms.BooleanField(required=False, label="Due within 60 days or overdue")


class MhraRequestForm(forms.Form):
    title = forms.CharField(max_length=200, label="Short title")
    device = forms.ModelChoiceField(Device.objects.all(), required=False, empty_label="No device")
    received_at = forms.CharField(label="Received (UK time)", widget=WHEN)
    mhra_reference = forms.CharField(max_length=100, required=False, label="MHRA reference")
    asked = forms.CharField(label="What was asked", widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    answered_at = forms.CharField(label="Sent to the MHRA (UK time)", widget=WHEN)
    sent = forms.CharField(label="What was sent", widget=forms.Textarea(attrs={"rows": 4}))


class HolidayForm(forms.Form):
    date = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=100)
