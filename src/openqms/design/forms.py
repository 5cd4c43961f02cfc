"""Forms of the design pages: they only shape what was typed; the actions check it and
say which field is wrong."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.core.models import User
from openqms.design.models import DesignChange, ItemState, ItemType, LinkKind
from openqms.devices.access import visible_devices
from openqms.devices.models import Device
from openqms.documents.access import visible_documents
from openqms.documents.models import Document

YES = [("", "any"), ("yes", "yes")]


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Short and unique, e.g. RhythmCheck.")
    title = forms.CharField(max_length=200, required=False)
    device: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Device.objects.none(), required=False, empty_label="No device"
    )
    development_plan: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Document.objects.none(),
        required=False,
        empty_label="None yet",
        help_text="The design and development plan: a controlled document (ISO 13485 7.3.2).",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = visible_devices(user).order_by("name", "model")  # type: ignore[attr-defined]
        plans = visible_documents(user).order_by("number")
        self.fields["development_plan"].queryset = plans  # type: ignore[attr-defined]


class ItemFilter(forms.Form):
    type = forms.ModelChoiceField(
        ItemType.objects.all(), required=False, empty_label="any", to_field_name="code"
    )
    state = forms.ChoiceField(choices=[("", "any"), *ItemState.choices], required=False)
    q = forms.CharField(label="ID or title contains", max_length=100, required=False)
    gaps = forms.ChoiceField(label="With gaps", choices=YES, required=False)
    suspect = forms.ChoiceField(label="With suspect links", choices=YES, required=False)


class ItemForm(forms.Form):
    uid = forms.CharField(label="ID", max_length=100, help_text="Stable, e.g. REQ-012.")
    item_type = forms.ModelChoiceField(
        ItemType.objects.filter(active=True), label="Type", empty_label=None, to_field_name="code"
    )
    title = forms.CharField(max_length=300, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text="Markdown."
    )
    attributes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line: name: value.",
    )

    def clean_attributes(self) -> dict[str, str]:
        return parse_attributes(self.cleaned_data["attributes"])


class EditForm(forms.Form):
    title = forms.CharField(max_length=300, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}), required=False, help_text="Markdown."
    )
    attributes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line: name: value.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the item's history.",
    )
    change: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=DesignChange.objects.none(),
        label="Part of design change",
        required=False,
        empty_label="None",
        help_text="The item joins the change's affected items if it is not among them yet.",
    )
    # The version the editor opened: a save over a newer version is refused (StaleEdit).
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, changes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The project's open changes (design.actions.items.open_changes).
        self.fields["change"].queryset = DesignChange.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in changes]
        ).order_by("-created_at", "-pk")

    def clean_attributes(self) -> dict[str, str]:
        return parse_attributes(self.cleaned_data["attributes"])


def parse_attributes(typed: str) -> dict[str, str]:
    out = {}
    for number, line in enumerate(typed.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise forms.ValidationError(f"Line {number}: write “name: value”.")
        out[name.strip()] = value.strip()
    return out


def attributes_text(attributes: dict[str, Any]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in attributes.items())


class LinkForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("out", "this item … the other"), ("in", "the other … this item")]
    )
    kind = forms.ChoiceField(choices=LinkKind.choices)
    other = forms.CharField(label="Other item's ID", max_length=100)


class RetireForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
