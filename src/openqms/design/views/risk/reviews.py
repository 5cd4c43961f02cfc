"""Risk reviews: the file's reviews (paged) and one review with its closing form."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design.actions import risk
from openqms.design.models import Hazard, RiskReview, RiskReviewOutcome
from openqms.design.registry import EDIT
from openqms.design.views.risk.common import PAGE_SIZE, get_file, get_review, post_then


def review_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk)
    reviews = RiskReview.objects.filter(file=file).select_related("closed_by")
    page = Paginator(reviews.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "design/risk/reviews.html", {"file": file, "page": page})


def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = get_review(request, pk)
    return render(
        request,
        "design/risk/review.html",
        {
            "review": review,
            "file": review.file,
            "concerned": review.hazards.order_by("number"),
            "hazards": Hazard.objects.filter(file=review.file).order_by("number"),
            "outcomes": RiskReviewOutcome.choices,
            "may_edit": has_permission(request.user, EDIT),
        },
    )


@require_POST
def review_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = get_review(request, pk, EDIT)
    ids = [int(v) for v in request.POST.getlist("hazards") if v.isdigit()]
    hazards = list(Hazard.objects.filter(file=review.file, pk__in=ids))
    return post_then(
        request,
        lambda: risk.close_review(
            actor=request.user,
            review=review,
            outcome=request.POST.get("outcome", ""),
            hazards=hazards,
            note=request.POST.get("note", ""),
        ),
        "Risk review closed.",
        review.get_absolute_url(),
    )
