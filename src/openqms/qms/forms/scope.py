"""Forms of the QMS scope; checking the values is the actions' work."""

from __future__ import annotations

from django import forms

from openqms.qms.models import (
    BodyAnswer,
    Certificate,
    CertificateKind,
    DeviceFamily,
    ExclusionKind,
    Process,
    Site,
)


class ScopeForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), help_text="What the QMS covers, in a paragraph"
    )
    families = forms.ModelMultipleChoiceField(
        DeviceFamily.objects.filter(retired_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Device families covered",
    )
    processes = forms.ModelMultipleChoiceField(
        Process.objects.filter(retired_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Processes in scope",
    )
    sites = forms.ModelMultipleChoiceField(
        Site.objects.filter(retired_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    change_summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What changes and why",
    )


class ExclusionForm(forms.Form):
    clause = forms.CharField(max_length=20, required=False, help_text="e.g. 7.5.7")
    kind = forms.ChoiceField(choices=ExclusionKind.choices, label="Excluded or not applicable")
    what = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What is excluded"
    )
    justification = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


ExclusionFormSet = forms.formset_factory(ExclusionForm, extra=2, max_num=60)


class CertifyForm(forms.Form):
    certificate = forms.ModelChoiceField(
        Certificate.objects.filter(retired_at__isnull=True, kind=CertificateKind.ISO_13485)
    )
    certified_on = forms.DateField(
        label="Certified on", widget=forms.DateInput(attrs={"type": "date"})
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="What changed (as told to the body)"
    )


class SentForm(forms.Form):
    sent_on = forms.DateField(label="Date sent", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(max_length=100, help_text="Your letter's or the body's reference")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=BodyAnswer.choices, label="The approved body's answer")
    answered_on = forms.DateField(
        label="Date of the answer", widget=forms.DateInput(attrs={"type": "date"})
    )
    answer_text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What they said"
    )
