"""Nonconformity forms: raise one, each step, and the list's filters. The forms only
shape what was typed; the actions check it and say which field is wrong."""

from __future__ import annotations

from django import forms

from openqms.devices.models import Device
from openqms.events.models import Disposition, NcSource, NcState
from openqms.suppliers.models import Supplier

YES_NO = [("", "Choose yes or no…"), ("yes", "yes"), ("no", "no")]


class RaiseForm(forms.Form):
    title = forms.CharField(max_length=200)
    source = forms.ChoiceField(choices=NcSource.choices)
    supplier = forms.ModelChoiceField(
        Supplier.objects.filter(retired_at__isnull=True).order_by("name"),
        required=False,
        empty_label="No supplier",
        help_text="For incoming goods or a supplier's nonconformity: counts in its performance.",
    )
    device = forms.ModelChoiceField(
        Device.objects.order_by("name", "model"), required=False, empty_label="No device"
    )
    product = forms.CharField(max_length=200, required=False)
    part = forms.CharField(max_length=200, required=False)
    lot = forms.CharField(max_length=100, required=False)
    serial = forms.CharField(max_length=100, required=False)
    quantity = forms.IntegerField(min_value=0, required=False)
    description = forms.CharField(label="What is wrong", widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(
        label="Against which requirement",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The specification, drawing, procedure or acceptance criterion not met.",
    )


class ContainForm(forms.Form):
    containment = forms.CharField(
        label="What was done at once", widget=forms.Textarea(attrs={"rows": 3})
    )
    contained_at = forms.CharField(
        label="When (UK time)", required=False, help_text="Leave empty for now."
    )


class AssessForm(forms.Form):
    impact = forms.CharField(
        label="Effect on safety and performance", widget=forms.Textarea(attrs={"rows": 3})
    )
    delivered_affected = forms.ChoiceField(
        label="Are devices already delivered affected?",
        choices=YES_NO,
        help_text="If yes, raise an FSCA from this page.",
    )


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(choices=[("", "—"), *Disposition.choices])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    justification = forms.CharField(
        label="Concession justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only for use as is: why the product is acceptable as it is.",
    )


class ReverifyForm(forms.Form):
    result = forms.CharField(
        label="Re-verification result", widget=forms.Textarea(attrs={"rows": 2})
    )
    passed = forms.ChoiceField(label="Passed?", choices=YES_NO)


class ChangeDispositionForm(forms.Form):
    reason = forms.CharField(
        label="Why the disposition changes",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. the concession was refused, or the re-verification failed.",
    )


class NcFilter(forms.Form):
    source = forms.ChoiceField(choices=[("", "any"), *NcSource.choices], required=False)
    state = forms.ChoiceField(
        choices=[("", "any"), ("open", "open"), *NcState.choices], required=False
    )
    supplier = forms.ModelChoiceField(
        Supplier.objects.order_by("name"), required=False, empty_label="Any supplier"
    )
    device = forms.ModelChoiceField(
        Device.objects.order_by("name", "model"), required=False, empty_label="Any device"
    )
