"""The risk pages' one signing form: the risk management report's content."""

from django import forms

from openqms.core.forms import SignatureForm

YES_NO = [("yes", "yes"), ("no", "no")]


class ReportForm(SignatureForm):
    conclusion = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    residual_acceptable = forms.ChoiceField(
        choices=YES_NO, label="Overall residual risk acceptable"
    )
    plan_followed = forms.ChoiceField(choices=YES_NO, label="Risk management plan followed")
