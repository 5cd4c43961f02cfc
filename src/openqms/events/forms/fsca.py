"""Forms of the FSCA pages. They only shape what was typed; the actions check
everything again (and say which field is at fault)."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.core.forms import SignatureForm
from openqms.devices.models import Device
from openqms.documents.models import Document
from openqms.events.models import Fsca, FscaMarket, FscaState, Market, Party, ReviewOutcome, Scope

DATE = forms.DateInput(attrs={"type": "date"})
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AREA = forms.Textarea(attrs={"rows": 3})


class FscaForm(forms.Form):
    title = forms.CharField(max_length=200)
    scope = forms.ChoiceField(choices=Scope.choices, label="Where the FSCA is carried out")
    other_market = forms.CharField(
        max_length=100, required=False, label="Market (for an FSCA in another market)"
    )
    reason = forms.CharField(widget=AREA, label="Reason for the FSCA")
    description = forms.CharField(widget=AREA, required=False)
    user_actions = forms.CharField(widget=AREA, label="What the users must do")
    urgent = forms.BooleanField(
        required=False, label="Urgent: the action cannot wait for the MHRA to be told"
    )
    urgency_justification = forms.CharField(
        widget=AREA, required=False, label="Why it is urgent (required when urgent)"
    )
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "pk"),
        required=False,
        label="Device affected",
        empty_label="Choose a device…",
    )
    identifiers = forms.CharField(
        widget=AREA, required=False, label="UDIs, lots or serials affected"
    )


class DeviceRowForm(forms.Form):
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "pk"), empty_label="Choose a device…"
    )
    identifiers = forms.CharField(widget=AREA, label="UDIs, lots or serials affected")


class MarketForm(forms.Form):
    market = forms.ChoiceField(choices=Market.choices)
    country = forms.CharField(max_length=100, required=False, label="Country (for “other”)")
    units_affected = forms.IntegerField(min_value=0)
    users_affected = forms.IntegerField(min_value=0)


class MhraForm(forms.Form):
    notified_at = forms.DateTimeField(widget=MOMENT, label="MHRA told on")
    mhra_reference = forms.CharField(max_length=100, label="MHRA reference")
    file = forms.FileField(required=False, label="Evidence (optional)")


class PartyForm(forms.Form):
    party = forms.ChoiceField(choices=Party.choices, label="Who")
    told = forms.CharField(max_length=200, label="Name of the person or body told")
    told_at = forms.DateTimeField(widget=MOMENT, label="Told on")
    how = forms.CharField(max_length=200, label="How (e-mail, letter, portal…)")
    reference = forms.CharField(max_length=100, required=False)
    file = forms.FileField(required=False, label="Evidence (optional)")


class NoticeForm(forms.Form):
    notice = forms.ModelChoiceField(
        queryset=Document.objects.filter(withdrawn_at__isnull=True),
        label="Controlled document",
        empty_label="Choose a document…",
    )


class NoticeReviewForm(forms.Form):
    reviewed_on = forms.DateField(widget=DATE, label="Reviewed by the MHRA on")
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices)
    notes = forms.CharField(widget=AREA, required=False)


class StartForm(forms.Form):
    started_at = forms.DateTimeField(widget=MOMENT, required=False, label="Started on (empty: now)")


class ReconcileForm(forms.Form):
    market = forms.ModelChoiceField(
        queryset=FscaMarket.objects.none(), empty_label="Choose a market…"
    )
    reached_on = forms.DateField(widget=DATE, label="Date")
    units_reached = forms.IntegerField(min_value=1, label="Units reached")
    note = forms.CharField(widget=AREA, required=False)

    def __init__(self, *args: Any, fsca: Fsca | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["market"].queryset = FscaMarket.objects.filter(fsca=fsca)  # type: ignore[attr-defined]


class CloseForm(SignatureForm):
    closure_justification = forms.CharField(required=False, max_length=10_000)


class FscaFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any"), *FscaState.choices], required=False)
    scope = forms.ChoiceField(choices=[("", "any"), *Scope.choices], required=False)
    device = forms.ModelChoiceField(
        queryset=Device.objects.order_by("name", "pk"), required=False, empty_label="Any device"
    )
    urgent = forms.BooleanField(required=False, label="Urgent only")
    open = forms.BooleanField(required=False, label="Open only")
