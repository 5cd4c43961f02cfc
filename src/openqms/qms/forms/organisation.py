"""Forms of the organisation profile; checking the values is the actions' work."""

from __future__ import annotations

from django import forms

from openqms.documents.models import Document
from openqms.qms.models import ApprovedBody, BodyKind, Market, ResponsiblePerson, RoleKind

_AREA = {"rows": 3}


class OrganisationForm(forms.Form):
    legal_name = forms.CharField(max_length=200, label="Legal manufacturer name")
    registered_address = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    based_in_uk = forms.BooleanField(
        required=False,
        label="Based in the UK",
        help_text="A manufacturer based outside the UK needs a UK Responsible Person.",
    )
    responsible_person = forms.ModelChoiceField(
        ResponsiblePerson.objects.filter(retired_at__isnull=True),
        required=False,
        label="UK Responsible Person",
    )
    approved_body = forms.ModelChoiceField(
        ApprovedBody.objects.filter(retired_at__isnull=True), required=False
    )


class SiteForm(forms.Form):
    name = forms.CharField(max_length=200)
    address = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    activities = forms.CharField(
        required=False, widget=forms.Textarea(attrs=_AREA), help_text="What is done there"
    )


class BodyForm(forms.Form):
    name = forms.CharField(max_length=200)
    number = forms.CharField(max_length=20, required=False, help_text="e.g. 0086 (UK), 2797 (EU)")
    kind = forms.ChoiceField(choices=BodyKind.choices)
    contact_name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)
    address = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))


class ResponsiblePersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    address = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)
    mandate = forms.ModelChoiceField(
        Document.objects.order_by("number"),
        required=False,
        help_text="The written mandate, a controlled document",
    )


class MarketRoleForm(forms.Form):
    market = forms.ChoiceField(choices=Market.choices)
    role = forms.ChoiceField(choices=RoleKind.choices)
