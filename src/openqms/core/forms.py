"""Forms: they read and shape input; actions decide and write."""

from __future__ import annotations

from django import forms

from openqms.core.models import Role
from openqms.core.registry import event_types, permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import signer_credentials


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=63, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Authenticator code",
        help_text="The 6-digit code from your authenticator app, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail.",
    )


class SignatureForm(forms.Form):
    """What the signing dialog ({% sign_dialog %}) posts: the password again, the code where
    enrolled, the content hash the signer was shown, and a comment. Checking them is the
    action's work (a step without a password is refused there, or needs none)."""

    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_code = forms.CharField(required=False, max_length=20, label="Authenticator code")
    reason = forms.CharField(
        required=False, max_length=1000, label="Comment", widget=forms.Textarea(attrs={"rows": 2})
    )
    content_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def credentials(self) -> Credentials | None:
        """None when no password was sent (the step then decides whether it needs one)."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("password"):
            return None
        return signer_credentials(
            password=data["password"], otp_code=data["otp_code"], content_hash=data["content_hash"]
        )


class SigningForm(forms.Form):
    """A page's own signed form (a periodic review, a disposition, an evaluation): the
    password again, the code where the signer enrolled a second factor, and the hash of
    what the signer was shown — signing refuses without it
    (core.signing.signer_credentials)."""

    password = forms.CharField(
        strip=False,
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_code = forms.CharField(
        max_length=20,
        label="Authenticator code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    content_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, needs_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["otp_code"]

    def credentials(self) -> Credentials:
        data = self.cleaned_data
        return signer_credentials(
            password=data["password"],
            otp_code=data.get("otp_code", ""),
            content_hash=data.get("content_hash", ""),
        )


class RemoveSecondFactorForm(ReasonForm):
    password = forms.CharField(
        strip=False,
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "reason"]


class UserCreateForm(forms.Form):
    username = forms.CharField(
        max_length=63, help_text="Lower case; can never be changed or reused."
    )
    full_name = forms.CharField(max_length=200, help_text="As printed on their signatures.")
    email = forms.EmailField(required=False)
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput,
        help_text="Temporary: they must choose their own at their first sign-in.",
    )
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(max_length=1000, initial="New starter")


class UserEditForm(ReasonForm):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    field_order = ["full_name", "email", "reason"]


class GrantRoleForm(ReasonForm):
    role = forms.ModelChoiceField(queryset=Role.objects.all())
    field_order = ["role", "reason"]


class RevokeRoleForm(ReasonForm):
    role = forms.ModelChoiceField(
        queryset=Role.objects.all(), to_field_name="code", widget=forms.HiddenInput
    )


class SetPasswordForm(ReasonForm):
    new_password = forms.CharField(strip=False, widget=forms.PasswordInput)
    field_order = ["new_password", "reason"]


class RoleEditForm(ReasonForm):
    permissions = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    requires_second_factor = forms.BooleanField(
        required=False, label="Members must use a second factor"
    )
    field_order = ["permissions", "requires_second_factor", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = [
            (p.code, f"{p.label} ({p.code})") for p in permissions.all()
        ]


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        strip=False,
        label="Current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        strip=False,
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “CI pipeline”.")
    otp_code = forms.CharField(
        required=False,
        max_length=20,
        label="Authenticator code",
        help_text="Required when you have an authenticator enrolled.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AuditFilterForm(forms.Form):
    record = forms.CharField(
        required=False,
        max_length=200,
        label="Record",
        help_text="A document number or title, or a person's name",
    )
    user = forms.CharField(
        required=False, max_length=200, label="Done by", help_text="A name or username"
    )
    action = forms.ChoiceField(required=False, label="Action")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    # Set by the links of one record's events ("All events of this record").
    object_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *action_choices()]


# The headings of the action list, by the module a code belongs to.
_GROUPS = {"core": "Users, sign-in, signatures and system"}


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every event type by its description, grouped by module (no internal codes)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for c in event_types.all():
        prefix = c.code.split(".", 1)[0]
        groups.setdefault(_GROUPS.get(prefix, prefix.capitalize()), []).append((c.code, c.label))
    return [(name, sorted(codes, key=lambda c: c[1])) for name, codes in sorted(groups.items())]


class AuditReviewScopeForm(forms.Form):
    """Which view of the trail a review covers: whole past days, and the trail's filter."""

    since = forms.DateField(
        label="First day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label="Last day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    record = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    user = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    action = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        keys = ("record", "user", "action", "object_type", "object_id")
        return {k: data[k] for k in keys if data.get(k)}


class AuditReviewForm(SigningForm):
    """The signed review: the scope (hidden, as chosen), the findings, the password."""

    since = forms.DateField(widget=forms.HiddenInput)
    until = forms.DateField(widget=forms.HiddenInput)
    record = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    user = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    action = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    findings = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you found that needs attention, and what was done about it.",
    )
    no_findings = forms.BooleanField(
        required=False, label="No findings: nothing in this period needs attention"
    )
    field_order = ["findings", "no_findings", "password", "otp_code"]

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        keys = ("record", "user", "action", "object_type", "object_id")
        return {k: data[k] for k in keys if data.get(k)}
