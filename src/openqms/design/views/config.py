"""The design configuration page (design.config:manage): item types, link rules and gap
rules as tables with their add forms, one page each to edit or retire a type or a gap
rule, and the links the rules no longer allow. Plain POST-redirect-GET; every change
through design.actions.config."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted
from openqms.design import access
from openqms.design.actions import config as actions
from openqms.design.models import CoverageRule, ItemType, LinkKind, LinkRule
from openqms.design.registry import CONFIGURE

SHOWN_LINKS = 200
REASON = forms.CharField(
    max_length=500,
    widget=forms.Textarea(attrs={"rows": 2}),
    help_text="Recorded in the audit trail.",
)


def _type_choices() -> list[tuple[str, str]]:
    return list(ItemType.objects.filter(active=True).values_list("code", "name"))


def _accept_choices() -> list[tuple[str, str]]:
    """Every (kind, source type) a link rule allows, as "kind:code" with plain words."""
    pairs = LinkRule.objects.filter(source_type__active=True).values_list(
        "kind", "source_type__code", "source_type__name"
    )
    found = {
        (f"{k}:{code}", f"a {name.lower()} that {k.replace('_', ' ')} it")
        for k, code, name in pairs
    }
    return sorted(found, key=lambda pair: pair[1])


class TypeForm(forms.Form):
    code = forms.CharField(max_length=40, help_text="e.g. hazard_analysis; fixed once used.")
    name = forms.CharField(max_length=100)
    # The form's metaclass takes declared fields out of the class, so this field does not
    # shadow Form.prefix at run time; mypy only sees the class attribute.
    prefix = forms.CharField(  # type: ignore[assignment]
        label="ID prefix", max_length=20, help_text="e.g. HAZ for HAZ-001; fixed once used."
    )
    level = forms.IntegerField(
        min_value=0, max_value=100, help_text="Its place from top (0) to bottom of the trace."
    )
    needs_evidence = forms.BooleanField(
        label="Its items need a passing test result", required=False
    )


class TypeEditForm(TypeForm):
    reason = REASON


class LinkRuleForm(forms.Form):
    source_type = forms.ChoiceField(label="An item of type")
    kind = forms.ChoiceField(label="may", choices=LinkKind.choices)
    target_type = forms.ChoiceField(label="an item of type")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _type_choices()
        self.fields["source_type"].choices = choices  # type: ignore[attr-defined]
        self.fields["target_type"].choices = choices  # type: ignore[attr-defined]


class GapRuleForm(forms.Form):
    code = forms.CharField(max_length=60, help_text="e.g. output_without_verification; fixed.")
    item_type = forms.ChoiceField(label="Every active item of type")
    accepts = forms.MultipleChoiceField(
        label="needs at least one of",
        widget=forms.CheckboxSelectMultiple,
        help_text="Only links a link rule allows into the chosen type are accepted.",
    )
    verified = forms.BooleanField(
        label="…and that linking item must itself have no gap", required=False
    )
    message = forms.CharField(
        max_length=200, help_text="What the gap says, e.g. “Output without a verification”."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item_type"].choices = _type_choices()  # type: ignore[attr-defined]
        self.fields["accepts"].choices = _accept_choices()  # type: ignore[attr-defined]

    def rule(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["accepts"] = [pair.split(":", 1) for pair in data["accepts"]]
        return data


class GapRuleEditForm(GapRuleForm):
    reason = REASON

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class RetireForm(forms.Form):
    reason = REASON


def config_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, CONFIGURE)
    types = list(ItemType.objects.all())
    names = {t.code: t.name for t in types}
    gap_rules = list(CoverageRule.objects.select_related("item_type").order_by("-active"))
    for rule in gap_rules:
        rule.words = actions.accepts_words(rule, names)  # type: ignore[attr-defined]
    disallowed = actions.disallowed_links()
    context = {
        "types": types,
        "link_rules": LinkRule.objects.select_related("source_type", "target_type").order_by(
            "source_type__level", "kind", "target_type__level"
        ),
        "gap_rules": gap_rules,
        "disallowed": disallowed[:SHOWN_LINKS],
        "disallowed_count": disallowed.count(),
        "type_form": TypeForm(),
        "link_form": LinkRuleForm(),
        "gap_form": GapRuleForm(),
    }
    return render(request, "design/config/page.html", context)


@require_POST
def type_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, CONFIGURE)
    attempt_posted(
        request,
        TypeForm(request.POST),
        lambda data: actions.add_item_type(actor=request.user, **data),
        "Item type added.",
        nothing="No item type was added.",
    )
    return redirect("design:config")


def type_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kind = access.get_for_user(request.user, ItemType.objects.all(), pk, permission=CONFIGURE)
    initial = {f: getattr(kind, f) for f in ("code", "name", "prefix", "level", "needs_evidence")}
    form = TypeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.edit_item_type(actor=request.user, item_type=kind, **form.cleaned_data),
            "Item type changed; the gaps of every project were recomputed.",
        )
        if done:
            return redirect("design:config")
    context = {"kind": kind, "form": form, "retire_form": RetireForm()}
    return render(request, "design/config/type.html", context)


@require_POST
def type_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kind = access.get_for_user(request.user, ItemType.objects.all(), pk, permission=CONFIGURE)
    done = attempt_posted(
        request,
        RetireForm(request.POST),
        lambda data: actions.retire_item_type(actor=request.user, item_type=kind, **data),
        "Item type retired. Its items stay in the baselines and the trail.",
        nothing="The item type was not retired.",
    )
    return redirect("design:config") if done else redirect("design:config-type", pk=kind.pk)


@require_POST
def link_rule_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, CONFIGURE)
    attempt_posted(
        request,
        LinkRuleForm(request.POST),
        lambda data: actions.add_link_rule(actor=request.user, **data),
        "Link rule added; the gaps of every project were recomputed.",
        nothing="No link rule was added.",
    )
    return redirect("design:config")


@require_POST
def link_rule_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = access.get_for_user(request.user, LinkRule.objects.all(), pk, permission=CONFIGURE)
    attempt_posted(
        request,
        RetireForm(request.POST),
        lambda data: actions.retire_link_rule(actor=request.user, rule=rule, **data),
        "Link rule retired. Links it allowed stay, listed below if no rule allows them now.",
        nothing="The link rule was not retired.",
    )
    return redirect("design:config")


@require_POST
def gap_rule_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, CONFIGURE)
    form = GapRuleForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda _: actions.add_gap_rule(actor=request.user, **form.rule()),
        "Gap rule added; the gaps of every project were recomputed.",
        nothing="No gap rule was added.",
    )
    return redirect("design:config")


def gap_rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = access.get_for_user(request.user, CoverageRule.objects.all(), pk, permission=CONFIGURE)
    initial = {
        "item_type": rule.item_type.code,
        "accepts": [f"{kind}:{source}" for kind, source in rule.accepts],
        "verified": rule.verified,
        "message": rule.message,
    }
    form = GapRuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.edit_gap_rule(actor=request.user, rule=rule, **form.rule()),
            "Gap rule changed; the gaps of every project were recomputed.",
        )
        if done:
            return redirect("design:config")
    context = {"rule": rule, "form": form, "retire_form": RetireForm()}
    return render(request, "design/config/gap_rule.html", context)


@require_POST
def gap_rule_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = access.get_for_user(request.user, CoverageRule.objects.all(), pk, permission=CONFIGURE)
    attempt_posted(
        request,
        RetireForm(request.POST),
        lambda data: actions.retire_gap_rule(actor=request.user, rule=rule, **data),
        "Gap rule retired; the gaps of every project were recomputed.",
        nothing="The gap rule was not retired.",
    )
    return redirect("design:config")
