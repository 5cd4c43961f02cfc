"""Forms of the CAPA pages. They only shape what was typed; the actions check everything
again and name the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.core.forms import SignatureForm
from openqms.core.models import Role, RoleAssignment, User
from openqms.devices.models import Device
from openqms.events.models import CapaState, CapaType, CauseCategory, Party, ReferenceKind, Result
from openqms.events.models.capa import Level
from openqms.events.registry import MANAGE

AREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})
LEVELS = [("", "not assessed"), *Level.choices]


def people(empty: str = "Choose a person…") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label=empty,
    )


def handlers() -> Any:
    """Active people holding events.event:manage now: who may own a CAPA."""
    # Roles are few; their permissions are a JSON list, read the same on both engines.
    roles = [r.pk for r in Role.objects.all() if MANAGE in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    return (
        User.objects.filter(is_active=True, role_assignments__in=grants)
        .distinct()
        .order_by("full_name")
    )


class CapaForm(forms.Form):
    title = forms.CharField(max_length=200)
    capa_type = forms.ChoiceField(choices=CapaType.choices, label="Type")
    problem = forms.CharField(widget=AREA, label="Problem statement")
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "model"),
        required=False,
        empty_label="Choose a device…",
    )
    owner = people("You")
    reference_kind = forms.ChoiceField(
        choices=[("", "none"), *ReferenceKind.choices], required=False, label="Other source"
    )
    reference = forms.CharField(
        max_length=200, required=False, help_text="e.g. audit AUD-2026-03 finding 2"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].help_text = "Blank: you. Only CAPA handlers are listed."
        self.fields["owner"].queryset = handlers()


class CapaFilter(forms.Form):
    q = forms.CharField(required=False, label="Number or title", max_length=100)
    state = forms.ChoiceField(
        choices=[("", "any"), ("open", "any open"), *CapaState.choices], required=False
    )
    capa_type = forms.ChoiceField(
        choices=[("", "any"), *CapaType.choices], required=False, label="Type"
    )
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name"), required=False, empty_label="Any device"
    )
    mine = forms.BooleanField(required=False, label="Owned by me")
    overdue = forms.BooleanField(required=False, label="With overdue actions")


class EditForm(forms.Form):
    title = forms.CharField(max_length=200)
    capa_type = forms.ChoiceField(choices=CapaType.choices, label="Type")
    problem = forms.CharField(widget=AREA, label="Problem statement")
    risk_severity = forms.TypedChoiceField(choices=LEVELS, required=False, label="Severity")
    risk_probability = forms.TypedChoiceField(choices=LEVELS, required=False, label="Probability")
    risk_assessment = forms.CharField(widget=AREA, required=False)
    containment = forms.CharField(
        widget=AREA, required=False, label="Containment (immediate action)"
    )


class AnalysisForm(forms.Form):
    why_1 = forms.CharField(widget=AREA, required=False, label="Why 1")
    why_2 = forms.CharField(widget=AREA, required=False, label="Why 2")
    why_3 = forms.CharField(widget=AREA, required=False, label="Why 3")
    why_4 = forms.CharField(widget=AREA, required=False, label="Why 4")
    why_5 = forms.CharField(widget=AREA, required=False, label="Why 5")
    cause_categories = forms.MultipleChoiceField(
        choices=CauseCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    root_cause = forms.CharField(widget=AREA, required=False, label="Root cause statement")

    def whys(self) -> list[str]:
        return [self.cleaned_data[f"why_{i}"] for i in range(1, 6)]


class ReferenceForm(forms.Form):
    kind = forms.ChoiceField(choices=ReferenceKind.choices)
    reference = forms.CharField(max_length=200)


class ActionForm(forms.Form):
    prefix = "action"  # its "due" and the check plan's share the CAPA page
    description = forms.CharField(widget=AREA)
    owner = people()
    due = forms.DateField(widget=DATE)


class DoneForm(forms.Form):
    evidence = forms.CharField(widget=AREA, help_text="What shows it is done.")


class VerificationForm(forms.Form):
    verification = forms.CharField(widget=AREA, label="What was checked")


class CheckPlanForm(forms.Form):
    prefix = "check"
    criteria = forms.CharField(widget=AREA, label="Effectiveness criteria")
    due = forms.DateField(widget=DATE, label="Check due")


class ImpactForm(forms.Form):
    touches_safety = forms.ChoiceField(
        choices=[("", "Choose…"), ("yes", "yes"), ("no", "no")],
        label="Does it touch safety or performance?",
    )
    assessment = forms.CharField(widget=AREA)


class NoticeForm(forms.Form):
    party = forms.ChoiceField(choices=Party.choices)
    told_on = forms.DateField(widget=DATE, label="Told on")
    evidence = forms.CharField(widget=AREA, help_text="e.g. email reference")


class RevisionForm(forms.Form):
    revision = forms.CharField(max_length=60, help_text="e.g. SOP-004 rev B")
    note = forms.CharField(required=False, max_length=300)


class EffectivenessForm(SignatureForm):
    result = forms.ChoiceField(choices=Result.choices)
    evidence = forms.CharField(max_length=10_000)
