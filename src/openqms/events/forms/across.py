"""Forms of the pages that join quality records: a link typed by number, its removal,
a kind's governing procedure. They only shape what was typed; the actions check again."""

from __future__ import annotations

from django import forms

from openqms.core.links import KINDS as LINK_KINDS
from openqms.documents.models import Document

LINK_CHOICES = [(code, says[0]) for code, says in LINK_KINDS.items()]


class LinkForm(forms.Form):
    reference = forms.CharField(
        max_length=120,
        label="Record number",
        help_text="As written on the record, e.g. CMP-2026-0003 or SOP-001 rev B",
    )
    kind = forms.ChoiceField(choices=LINK_CHOICES, label="This record…", initial="related")
    note = forms.CharField(max_length=300, required=False)


class ProcedureForm(forms.Form):
    document = forms.ModelChoiceField(
        queryset=Document.objects.order_by("number"),
        required=False,
        label="Procedure",
        empty_label="— none —",
    )
