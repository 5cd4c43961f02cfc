"""Forms of supplier control's pages. They only shape what was typed; the actions check
everything again (and say which field is at fault)."""

from __future__ import annotations

from django import forms

from openqms.core.forms import SignatureForm
from openqms.documents.models import Document
from openqms.qms.models import Process
from openqms.suppliers.models import (
    DECISIONS,
    Category,
    CertificateKind,
    Criticality,
    Direction,
    DutyKind,
    Governing,
    Status,
    Supplier,
    SupplierCertificate,
)

DATE = forms.DateInput(attrs={"type": "date"})
AREA = forms.Textarea(attrs={"rows": 3})
DECISION_CHOICES = [(d.value, d.label) for d in DECISIONS]


class SupplierForm(forms.Form):
    name = forms.CharField(max_length=200)
    supplies = forms.CharField(widget=AREA, label="What they supply")
    category = forms.ChoiceField(choices=Category.choices)
    criticality = forms.ChoiceField(
        choices=Criticality.choices,
        help_text="Impact of what they supply on the device's safety and performance",
    )
    criticality_rationale = forms.CharField(widget=AREA, label="Why this criticality")
    address = forms.CharField(widget=AREA, required=False)
    contact_name = forms.CharField(max_length=200, required=False, label="Contact")
    email = forms.CharField(max_length=254, required=False)
    phone = forms.CharField(max_length=50, required=False)
    reason = forms.CharField(
        widget=AREA, required=False, label="Reason for the change", max_length=1000
    )


class RescheduleForm(forms.Form):
    next_evaluation = forms.DateField(widget=DATE, label="Re-evaluate by")
    reason = forms.CharField(widget=AREA, max_length=1000)


class SupplierFilter(forms.Form):
    status = forms.ChoiceField(choices=[("", "any"), *Status.choices], required=False)
    criticality = forms.ChoiceField(choices=[("", "any"), *Criticality.choices], required=False)
    due = forms.BooleanField(required=False, label="Re-evaluation due within 30 days")
    retired = forms.BooleanField(required=False, label="Include retired")


class EvaluationForm(forms.Form):
    """One score and comment per active criterion, the recommendation and a summary."""

    # No outcome and no score preselected (walk finding 11): each is a choice made.
    recommendation = forms.ChoiceField(
        choices=[("", "Choose…"), *DECISION_CHOICES], label="Recommended decision"
    )
    summary = forms.CharField(
        widget=AREA,
        required=False,
        help_text="Required to recommend approval when a criterion scores 1 or the average "
        "is below 3: say why.",
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.code}"] = forms.TypedChoiceField(
                label=f"{c.name}: score (1 poor – 5 excellent)",
                choices=[("", "Choose…"), *((i, str(i)) for i in range(1, 6))],
                coerce=int,
                help_text=c.description,
            )
            self.fields[f"comment_{c.code}"] = forms.CharField(
                label=f"{c.name}: comment", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def scores(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {c.code: (data[f"score_{c.code}"], data[f"comment_{c.code}"]) for c in self.criteria}


class DecisionDraftForm(forms.Form):
    """The decision to sign, chosen before the signing dialog shows its content hash."""

    decision = forms.ChoiceField(choices=[("", "Choose…"), *DECISION_CHOICES])
    conditions = forms.CharField(
        widget=AREA,
        required=False,
        max_length=10_000,
        label="Conditions (required for a conditional approval)",
    )
    decision_reason = forms.CharField(
        widget=AREA, required=False, max_length=10_000, label="Reason (required to disqualify)"
    )


class DecisionForm(SignatureForm):
    decision = forms.ChoiceField(choices=DECISION_CHOICES)
    conditions = forms.CharField(required=False, max_length=10_000)
    decision_reason = forms.CharField(required=False, max_length=10_000)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(choices=CertificateKind.choices)
    title = forms.CharField(max_length=200, required=False, label="Title (for “other”)")
    number = forms.CharField(max_length=100)
    issuer = forms.CharField(max_length=200)
    expires_on = forms.DateField(widget=DATE, label="Expires on")
    file = forms.FileField(required=False)


class PerformanceForm(forms.Form):
    period_start = forms.DateField(widget=DATE)
    period_end = forms.DateField(widget=DATE)
    deliveries_on_time = forms.IntegerField(min_value=0, initial=0)
    deliveries_total = forms.IntegerField(min_value=0, initial=0)
    lots_received = forms.IntegerField(min_value=0, initial=0)
    lots_rejected = forms.IntegerField(min_value=0, initial=0)
    notes = forms.CharField(widget=AREA, required=False)


class OutsourcedForm(forms.Form):
    title = forms.CharField(max_length=200, label="What is outsourced")
    partner = forms.ModelChoiceField(queryset=Supplier.objects.filter(retired_at__isnull=True))
    process = forms.ModelChoiceField(
        queryset=Process.objects.filter(retired_at__isnull=True).order_by("code"),
        required=False,
        label="Process (ISO 13485 4.1.2)",
    )
    agreement = forms.ModelChoiceField(
        queryset=Document.objects.filter(withdrawn_at__isnull=True).order_by("number"),
        required=False,
        label="Quality agreement (controlled document)",
    )
    agreement_review_on = forms.DateField(widget=DATE, required=False, label="Agreement review due")
    agreement_expires_on = forms.DateField(widget=DATE, required=False, label="Agreement expires")
    partner_certificate = forms.ModelChoiceField(
        queryset=SupplierCertificate.objects.filter(retired_at__isnull=True).select_related(
            "supplier"
        ),
        required=False,
        label="The partner's QMS certificate",
    )
    contacts_ours = forms.CharField(widget=AREA, required=False, label="Our contacts")
    contacts_partner = forms.CharField(widget=AREA, required=False, label="The partner's contacts")
    exchange = forms.CharField(
        widget=AREA, required=False, label="How documents and changes are exchanged"
    )


class ActivityForm(forms.Form):
    activity = forms.CharField(max_length=200)
    governed_by = forms.ChoiceField(choices=Governing.choices, label="Governed by")
    notes = forms.CharField(max_length=2000, required=False)


class DutyForm(forms.Form):
    what = forms.ChoiceField(choices=DutyKind.choices, label="What is notified")
    description = forms.CharField(max_length=200, required=False)
    days = forms.IntegerField(min_value=1, max_value=365, label="Time limit (days)")
    direction = forms.ChoiceField(choices=Direction.choices)
