"""Forms: they read and shape input; actions decide and write."""

from __future__ import annotations

from django import forms

from openqms.core.forms import ReasonForm
from openqms.devices.models import (
    Agency,
    CeRecognition,
    DeviceClass,
    FileSection,
    Market,
    Route,
    UdiKind,
)
from openqms.qms.models import ApprovedBody, Certificate, DeviceFamily, ResponsiblePerson

DATE = forms.DateInput(attrs={"type": "date"})


class DeviceForm(forms.Form):
    family = forms.ModelChoiceField(queryset=DeviceFamily.objects.filter(retired_at=None))
    name = forms.CharField(max_length=200)
    model = forms.CharField(max_length=100, required=False, label="Model or version")
    intended_purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    device_class = forms.ModelChoiceField(queryset=DeviceClass.objects.all(), label="GB class")
    classification_rule = forms.CharField(max_length=50, help_text="e.g. Rule 11")
    classification_justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    gmdn_code = forms.CharField(max_length=5, required=False, label="GMDN code")
    responsible_person = forms.ModelChoiceField(
        queryset=ResponsiblePerson.objects.filter(retired_at=None),
        required=False,
        label="UK Responsible Person",
    )
    lifetime_years = forms.IntegerField(
        required=False, min_value=1, max_value=50, label="Expected lifetime (years)"
    )


class DeviceEditForm(DeviceForm):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why it changed; recorded in the audit trail.",
    )


class StepForm(forms.Form):
    on = forms.DateField(required=False, widget=DATE, label="Date", help_text="Today if empty.")
    reason = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegistrationForm(forms.Form):
    reference = forms.CharField(max_length=100, label="MHRA registration reference")
    registered_on = forms.DateField(widget=DATE, label="Registered (or updated) on")


class MarketForm(forms.Form):
    market = forms.ChoiceField(choices=Market.choices)
    route = forms.ChoiceField(choices=Route.choices, label="Conformity route")
    body = forms.ModelChoiceField(
        queryset=ApprovedBody.objects.filter(retired_at=None),
        required=False,
        label="Certified by",
        help_text="Empty when self-declared (Class I).",
    )
    certificate = forms.ModelChoiceField(
        queryset=Certificate.objects.filter(retired_at=None), required=False
    )
    recognition = forms.ModelChoiceField(
        queryset=CeRecognition.objects.all(),
        required=False,
        label="CE regime recognised in GB",
        help_text="Only for “CE recognised in GB”.",
    )


class UdiForm(forms.Form):
    kind = forms.ChoiceField(choices=UdiKind.choices)
    agency = forms.ChoiceField(choices=Agency.choices, label="Issuing agency")
    code = forms.CharField(max_length=100, help_text="GS1: the GTIN, 8 to 14 digits.")
    description = forms.CharField(max_length=200, required=False)


class RecognitionForm(ReasonForm):
    until = forms.DateField(widget=DATE, label="Recognised until")


class FileDocumentForm(forms.Form):
    section = forms.ModelChoiceField(queryset=FileSection.objects.all(), to_field_name="code")
    # Resolved by devices.access.get_document_to_file, as in the API: the same answer
    # for a number that does not exist and one the person may not open.
    document = forms.CharField(
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "e.g. SOP-001"}),
        label="Document number",
    )


class NotApplicableForm(forms.Form):
    justification = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this section does not apply to the family.",
    )
