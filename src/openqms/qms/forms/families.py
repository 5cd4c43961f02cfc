"""Device family forms: they read and shape input; qms.actions.families decides."""

from __future__ import annotations

from django import forms


class FamilyForm(forms.Form):
    code = forms.CharField(max_length=30, help_text="A short code, e.g. HR-SW")
    name = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
