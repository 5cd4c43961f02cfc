"""Retention (ISO 13485 4.2.5): every record class with its rule, changing a rule, and
one record's legal holds and signed disposal. Every change goes through
core.actions.retention, which checks the permission again."""

from __future__ import annotations

from django import forms
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core import confidentiality, retention
from openqms.core.access import require_or_404
from openqms.core.actions import retention as actions
from openqms.core.errors import NotFound
from openqms.core.forms import ReasonForm, SigningForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import CountedFrom, RecordDisposition, RecordHold
from openqms.core.modules import RecordClass
from openqms.core.registry import RETENTION_MANAGE
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason


class RuleForm(ReasonForm):
    years = forms.IntegerField(
        min_value=0, max_value=actions.MAX_YEARS, help_text="0: kept for ever."
    )
    counted_from = forms.ChoiceField(choices=CountedFrom.choices, label="Counted")
    regulation = forms.CharField(
        required=False,
        max_length=200,
        label="Regulation setting the minimum",
        help_text="For example “EU MDR Annex IX 8: technical documentation 10 years”.",
    )
    minimum_years = forms.IntegerField(
        min_value=0, max_value=actions.MAX_YEARS, label="That regulation's minimum (years)"
    )
    field_order = ["years", "counted_from", "regulation", "minimum_years", "reason"]


class DisposeForm(SigningForm):
    reason = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "password", "otp_code"]


def _class(code: str) -> RecordClass:
    try:
        return retention.record_class(code)
    except LookupError:
        raise NotFound() from None


def retention_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every record class: its rule, minimum, confidentiality, records under hold."""
    require_or_404(request.user, RETENTION_MANAGE)
    held = dict(
        RecordHold.objects.filter(released_at__isnull=True)
        .values_list("record_class")
        .annotate(n=Count("object_id", distinct=True))
        .order_by()
    )
    rules = retention.rules()
    classes = [rule.record_class for rule in rules]  # asked once: no query per row

    def shown(cls: RecordClass) -> str:
        return confidentiality.CLASSES[confidentiality.class_of(cls.object_type, classes)]

    rows = [(r, shown(r.record_class), held.get(r.record_class.code, 0)) for r in rules]
    return render(request, "core/retention.html", {"rows": rows})


def rule_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require_or_404(request.user, RETENTION_MANAGE)
    rule = retention.rule(_class(code))
    initial = {
        "years": rule.years,
        "counted_from": rule.counted_from,
        "regulation": rule.regulation,
        "minimum_years": rule.regulation_minimum,
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            form,
            lambda: actions.set_retention_rule(actor=request.user, code=code, **data),
            f"Retention of {rule.record_class.label} changed.",
        ):
            return redirect("core:retention")
    return render(request, "core/retention_rule.html", {"rule": rule, "form": form})


def record_page(request: AuthenticatedHttpRequest, code: str, object_id: str) -> HttpResponse:
    """One record's retention, its legal holds (placed here by POST) and its disposal."""
    require_or_404(request.user, RETENTION_MANAGE)
    cls = _class(code)
    record_id = str(actions.get_record(cls, object_id).pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if attempt(
            request,
            form,
            lambda: actions.place_hold(
                actor=request.user, code=code, object_id=record_id, reason=reason
            ),
            "Legal hold placed.",
        ):
            return redirect("core:retention-record", code, record_id)
    key = {"object_type": cls.object_type, "object_id": record_id}
    holds = list(RecordHold.objects.filter(**key).select_related("placed_by", "released_by"))
    for hold in holds:
        hold.release_form = ReasonForm(auto_id=f"release-{hold.pk}-%s")  # type: ignore[attr-defined]
    refusal = actions.disposal_refusal(cls, record_id, request.user)
    dispose = None
    if refusal is None:
        shown = content_hash(actions.disposal_content(cls, record_id, request.user))
        dispose = DisposeForm(
            needs_code=has_second_factor(request.user),
            auto_id="dispose-%s",
            initial={"content_hash": shown},
        )
    context = {
        "cls": cls,
        "rule": retention.rule(cls),
        "record_id": record_id,
        "label": actions.label_of(cls, record_id, request.user),
        "ends": actions.retention_end(cls, record_id),
        "today": timezone.localdate(),
        "holds": holds,
        "form": form,
        "refusal": refusal,
        "dispose_form": dispose,
        "disposition": RecordDisposition.objects.filter(**key)
        .select_related("disposed_by")
        .first(),
    }
    return render(request, "core/retention_record.html", context)


@require_POST
def hold_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, RETENTION_MANAGE)
    hold = get_object_or_404(RecordHold, pk=pk)
    attempt_with_reason(
        request,
        lambda reason: actions.release_hold(actor=request.user, hold=hold, reason=reason),
        "Legal hold released.",
    )
    return redirect("core:retention-record", hold.record_class, hold.object_id)


@require_POST
def record_dispose(request: AuthenticatedHttpRequest, code: str, object_id: str) -> HttpResponse:
    require_or_404(request.user, RETENTION_MANAGE)
    cls = _class(code)
    record_id = str(actions.get_record(cls, object_id).pk)
    form = DisposeForm(request.POST, needs_code=has_second_factor(request.user))
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.dispose_record(
            actor=request.user,
            code=code,
            object_id=record_id,
            reason=data["reason"],
            credentials=credentials,
        ),
        "Signed: record disposed of.",
    )
    return redirect("core:retention-record", code, record_id)
