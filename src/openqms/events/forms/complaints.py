"""Forms of the feedback and complaint pages. They only shape what was typed; the
actions check it (and name the field when they refuse)."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.core.forms import SignatureForm
from openqms.devices.models import Device
from openqms.events.models import Category, Classification, ComplaintState, IncidentType, Source

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [("", "Choose yes or no…"), ("yes", "Yes"), ("no", "No")]
CAPA = [("", "Not answered yet"), ("yes", "Yes"), ("no", "No")]


def _devices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "model"),
        required=False,
        empty_label="Choose a device…",
    )


class FeedbackForm(forms.Form):
    title = forms.CharField(max_length=200, label="Short title")
    source = forms.ChoiceField(choices=Source.choices)
    received_at = forms.DateTimeField(label="Received (date and time)", widget=DATETIME)
    reporter = forms.CharField(max_length=200, required=False, label="Reported by")
    reporter_contact = forms.CharField(max_length=300, required=False, label="Reporter's contact")
    device = _devices()
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="What was said")


class FeedbackFilter(forms.Form):
    classification = forms.ChoiceField(
        choices=[("", "any"), *Classification.choices], required=False
    )
    source = forms.ChoiceField(choices=[("", "any"), *Source.choices], required=False)
    device = _devices()
    q = forms.CharField(required=False, max_length=100, label="Text")


class ComplaintClassifyForm(forms.Form):
    device = _devices()
    awareness_at = forms.DateTimeField(
        label="Became aware (date and time)",
        widget=DATETIME,
        required=False,
        help_text="When the company first knew of it: every vigilance clock starts here.",
    )
    model = forms.CharField(max_length=100, required=False)
    lot = forms.CharField(max_length=100, required=False, label="Lot or batch")
    serial = forms.CharField(max_length=100, required=False, label="Serial number")
    udi = forms.CharField(max_length=200, required=False, label="UDI")
    incident_type = forms.ChoiceField(choices=IncidentType.choices)
    what_happened = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required when it was judged not a complaint before.",
    )


class NotComplaintForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why not a complaint")


class ComplaintFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any"), *ComplaintState.choices], required=False)
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "model"), required=False, empty_label="Any device"
    )
    reportable = forms.ChoiceField(
        choices=[
            ("", "any"),
            ("yes", "reportable"),
            ("no", "not reportable"),
            ("undecided", "not decided"),
        ],
        required=False,
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")


class ComplaintEditForm(forms.Form):
    model = forms.CharField(max_length=100, required=False)
    lot = forms.CharField(max_length=100, required=False, label="Lot or batch")
    serial = forms.CharField(max_length=100, required=False, label="Serial number")
    udi = forms.CharField(max_length=200, required=False, label="UDI")
    incident_type = forms.ChoiceField(choices=IncidentType.choices)
    patient_involved = forms.BooleanField(required=False, label="A patient was involved")
    patient_details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Patient details (health data)",
    )
    patient_outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Patient outcome (health data)",
    )
    investigation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    root_cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    capa_needed = forms.ChoiceField(choices=CAPA, required=False, label="Is a CAPA needed?")
    capa_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (or why not)"
    )
    reply = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reply to the complainant"
    )
    replied_at = forms.DateTimeField(
        required=False, widget=DATETIME, label="Replied (date and time)"
    )
    reason = forms.CharField(max_length=1000, required=False, label="Why changed (optional)")

    def edits(self, health: bool) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        if not health:  # the hidden values were never shown, so they are not sent back
            data.pop("patient_details", None)
            data.pop("patient_outcome", None)
        return data


class LinkForm(forms.Form):
    number = forms.CharField(max_length=30, label="Complaint number")
    kind = forms.ChoiceField(choices=[("related", "related to"), ("duplicate", "duplicate of")])
    note = forms.CharField(max_length=200, required=False)


class DecisionForm(SignatureForm):
    device_related = forms.ChoiceField(
        choices=YES_NO, label="Did the device cause or contribute to it, or is it suspected to?"
    )
    death = forms.ChoiceField(choices=YES_NO, label="Did anyone die?")
    serious_deterioration = forms.ChoiceField(
        choices=YES_NO, label="Was there a serious deterioration in someone's health?"
    )
    public_health_threat = forms.ChoiceField(
        choices=YES_NO, label="Is it a serious public health threat?"
    )
    unanticipated = forms.ChoiceField(
        choices=YES_NO, label="Was the outcome unanticipated (not in the risk analysis)?"
    )
    trend_candidate = forms.ChoiceField(choices=YES_NO, label="Should it count towards trends?")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why (rationale)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if list(getattr(field, "choices", [])) == YES_NO:
                field.error_messages["required"] = "Answer yes or no: nothing is assumed."


class CloseForm(SignatureForm):
    closure_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


CATEGORIES = dict(Category.choices)
