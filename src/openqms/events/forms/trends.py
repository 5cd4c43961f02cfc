"""Forms of the trend pages. They only shape what was typed; the actions check
everything again and say which field is at fault."""

from __future__ import annotations

from django import forms

from openqms.core.forms import SignatureForm
from openqms.events.models import Mode, Period, Series, TrendReportState

DATE = forms.DateInput(attrs={"type": "date"})
AREA = forms.Textarea(attrs={"rows": 3})


class ExposureForm(forms.Form):
    period_start = forms.DateField(widget=DATE, label="Period from")
    period_end = forms.DateField(widget=DATE, label="Period to")
    units_sold = forms.IntegerField(min_value=0, label="Units sold or distributed")
    units_in_use = forms.IntegerField(
        min_value=0, required=False, label="Units in use (if known; used for the rate)"
    )
    market = forms.CharField(max_length=5, required=False, help_text="GB, NI, EU… (blank: all)")
    note = forms.CharField(max_length=300, required=False)


class MethodForm(forms.Form):
    plan_reference = forms.CharField(
        max_length=300,
        label="As stated in the PMS plan",
        help_text="Where the plan states the method, e.g. “PMS plan rev B, section 5.2”.",
    )
    counts_non_serious = forms.BooleanField(
        required=False, initial=True, label="Count non-serious incidents"
    )
    counts_side_effects = forms.BooleanField(
        required=False, initial=True, label="Count expected side effects"
    )
    period = forms.ChoiceField(choices=Period.choices, label="Period")
    mode = forms.ChoiceField(choices=Mode.choices, label="Method")
    baseline_periods = forms.IntegerField(
        required=False, min_value=2, label="Baseline: the first N periods"
    )
    baseline_from = forms.DateField(required=False, widget=DATE, label="…or baseline from")
    baseline_to = forms.DateField(required=False, widget=DATE, label="baseline to")
    k = forms.DecimalField(
        required=False, initial=3, label="k (control limit = baseline + k·√(baseline / units))"
    )
    threshold = forms.DecimalField(required=False, label="Threshold (rate per 1,000 units)")


class TrendReportForm(forms.Form):
    series = forms.ChoiceField(choices=Series.choices)
    increase_from = forms.DateField(widget=DATE, label="Increase from (period)")
    increase_to = forms.DateField(widget=DATE, label="Increase to (period)")
    title = forms.CharField(max_length=200, required=False)
    conclusion = forms.CharField(required=False, widget=AREA, max_length=10_000)
    actions = forms.CharField(required=False, widget=AREA, max_length=10_000)


class TrendReportEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    conclusion = forms.CharField(required=False, widget=AREA, max_length=10_000)
    actions = forms.CharField(required=False, widget=AREA, max_length=10_000)


class SubmitForm(SignatureForm):
    mhra_reference = forms.CharField(max_length=100, label="MHRA reference")
    submitted_on = forms.DateField(widget=DATE, label="Submitted on")


class ReportFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any"), *TrendReportState.choices], required=False)
    q = forms.CharField(required=False, label="Device, number or title", max_length=100)
