"""The certificate's form (add and edit) and the withdraw form's reason (core's)."""

from __future__ import annotations

from typing import Any

from django import forms

from openqms.qms.actions.certificates import DUE_DATES, CertificateData
from openqms.qms.models import ApprovedBody, BodyKind, Certificate, CertificateKind, DeviceFamily

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(choices=CertificateKind.choices)
    number = forms.CharField(max_length=100, label="Certificate number")
    body = forms.ModelChoiceField(
        ApprovedBody.objects.none(),
        required=False,
        label="Issued by",
        help_text="The approved, notified or certification body named on the certificate.",
    )
    new_body = forms.CharField(
        max_length=200,
        required=False,
        label="…or a body not yet listed",
        help_text="Its name as the certificate gives it; it is added to the bodies.",
    )
    new_body_kind = forms.ChoiceField(
        choices=BodyKind.choices,
        required=False,
        initial=BodyKind.UK_APPROVED,  # a UK maker's usual body (UK MDR 2002)
        label="Kind of the new body",
    )
    scope_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label="Scope",
        help_text="The scope as the certificate states it.",
    )
    families = forms.ModelMultipleChoiceField(
        DeviceFamily.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Device families covered",
    )
    issued_on = forms.DateField(widget=_DATE, label="Issued on")
    expires_on = forms.DateField(widget=_DATE, label="Expires on")
    next_surveillance = forms.DateField(widget=_DATE, required=False, label="Next surveillance")
    recertification_due = forms.DateField(widget=_DATE, required=False, label="Recertification due")
    file = forms.FileField(
        required=False,
        label="The certificate (PDF)",
        help_text="A scan or the body's PDF; kept unchanged, by its SHA-256.",
    )

    def __init__(self, *args: Any, certificate: Certificate | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        bodies = ApprovedBody.objects.filter(retired_at__isnull=True)
        families = DeviceFamily.objects.filter(retired_at__isnull=True)
        if certificate is not None:  # what it names already stays choosable
            bodies = ApprovedBody.objects.filter(pk=certificate.body_id) | bodies
            families = DeviceFamily.objects.filter(certificates=certificate) | families
            self.fields["reason"] = forms.CharField(
                max_length=1000, required=False, label="Why the change (optional)"
            )
        self.fields["body"].queryset = bodies.distinct()  # type: ignore[attr-defined]
        self.fields["families"].queryset = families.distinct()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("body") and not (data.get("new_body") or "").strip():
            self.add_error("body", "Choose the body that issued it, or name a new one.")
        issued, expires = data.get("issued_on"), data.get("expires_on")
        for name, label in DUE_DATES:
            day = data.get(name)
            if day and expires and day > expires:
                self.add_error(name, f"The {label} date cannot come after the expiry date.")
            elif day and issued and day < issued:
                self.add_error(name, f"The {label} date cannot come before the issue date.")
        return data

    def certificate_data(self, body: ApprovedBody) -> CertificateData:
        d = self.cleaned_data
        return CertificateData(
            kind=d["kind"],
            number=d["number"],
            body=body,
            scope_text=d["scope_text"],
            issued_on=d["issued_on"],
            expires_on=d["expires_on"],
            next_surveillance=d["next_surveillance"],
            recertification_due=d["recertification_due"],
            families=list(d["families"]),
        )


def initial_of(c: Certificate) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "number": c.number,
        "body": c.body_id,
        "scope_text": c.scope_text,
        "families": list(c.families.all()),
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "next_surveillance": c.next_surveillance,
        "recertification_due": c.recertification_due,
    }
