"""Audit-trail reviews (EU GMP Annex 11 §9): the list (auditors read it), one review,
and recording a new one, signed."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render

from openqms.core import access, actions, audit_reviews
from openqms.core.errors import InvalidInput
from openqms.core.forms import AuditReviewForm, AuditReviewScopeForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import review_scope
from openqms.core.registry import AUDIT_REVIEW
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.views.common import attempt_signed


def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviews = access.audit_reviews_for_user(request.user)
    rows = [(review, audit_reviews.review_trail_url(review)) for review in reviews]
    return render(
        request,
        "core/audit_reviews.html",
        {
            "rows": rows,
            "due": audit_reviews.next_due(),
            "next_period": audit_reviews.next_period(),
            "can_review": access.has_permission(request.user, AUDIT_REVIEW),
        },
    )


def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = access.get_audit_review_for_user(request.user, pk)
    return render(
        request,
        "core/audit_review.html",
        {
            "review": review,
            "scope": review_scope(review),
            "trail_url": audit_reviews.review_trail_url(review),
        },
    )


def _scope(request: AuthenticatedHttpRequest, chosen: AuditReviewScopeForm) -> dict[str, Any]:
    """The scope the chosen view holds now, or the reason it cannot be reviewed."""
    if not chosen.is_valid():
        return {}
    data = chosen.cleaned_data
    try:
        audit_reviews.check_period(data["since"], data["until"])
        filters = audit_reviews.clean_filter(chosen.filters())
    except InvalidInput as exc:
        chosen.add_error(None, exc.message)
        return {}
    return audit_reviews.scope(
        viewer=request.user, period_from=data["since"], period_to=data["until"], filters=filters
    )


def _sign(request: AuthenticatedHttpRequest, needs_code: bool) -> Any:
    """The posted review, signed; None (the problems shown as messages) when refused."""
    posted = AuditReviewForm(request.POST, needs_code=needs_code)
    return attempt_signed(
        request,
        posted,
        lambda data, credentials: actions.sign_audit_review(
            actor=request.user,
            period_from=data["since"],
            period_to=data["until"],
            filters=posted.filters(),
            findings=data["findings"],
            no_findings=data["no_findings"],
            credentials=credentials,
        ),
        "Signed: audit-trail review recorded.",
    )


def _chosen(source: QueryDict) -> AuditReviewScopeForm:
    """The view to review as asked, or else the days the next review would cover; with
    neither, the empty form unbound (no "required" errors before anything is typed)."""
    data: dict[str, Any] = {k: source.get(k, "") for k in AuditReviewScopeForm.base_fields}
    suggested = audit_reviews.next_period()
    if suggested and not (data["since"] or data["until"]):
        data["since"], data["until"] = suggested
    if not (data["since"] or data["until"]):
        return AuditReviewScopeForm(initial=data)
    return AuditReviewScopeForm(data)


def review_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.audit_reviews_for_user(user)  # 404 for whoever may not read the trail
    access.require_or_404(user, AUDIT_REVIEW)
    needs_code = has_second_factor(user)
    if request.method == "POST" and (review := _sign(request, needs_code)):
        return redirect("core:audit-review", pk=review.pk)
    source = request.POST if request.method == "POST" else request.GET
    chosen = _chosen(source)
    context: dict[str, Any] = {"chosen": chosen, "scope": _scope(request, chosen), "form": None}
    if context["scope"]:
        data = chosen.cleaned_data
        keep = {k: v for k, v in source.items() if k in ("findings", "no_findings")}
        context["form"] = AuditReviewForm(
            needs_code=needs_code,
            initial={**data, **keep, "content_hash": content_hash(context["scope"])},
        )
        context["trail_url"] = audit_reviews.trail_url(
            data["since"], data["until"], chosen.filters()
        )
    return render(request, "core/audit_review_new.html", context)
