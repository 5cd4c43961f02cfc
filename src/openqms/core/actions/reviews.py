"""Audit-trail reviews (EU GMP Annex 11 §9): a review record created and signed in one
step ("reviewed"), through core's one signed-step path (core.signing.perform)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from openqms.core import audit, audit_reviews
from openqms.core.access import has_permission
from openqms.core.audit_reviews import REVIEWED
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused
from openqms.core.models import AuditReview, User
from openqms.core.registry import AUDIT_REVIEW, permissions
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.core.text import clean_text


def _refusal(actor: User) -> DomainError | None:
    if not has_permission(actor, AUDIT_REVIEW):
        return PermissionRefused(f"You need the permission “{permissions.label(AUDIT_REVIEW)}”.")
    return None


def _findings(findings: str, no_findings: bool) -> str:
    findings = clean_text(findings, "findings", required=False, limit=10000)
    if no_findings and findings:
        raise InvalidInput(
            "Either tick “No findings” or describe the findings, not both.",
            fields={"findings": "Leave empty when there are no findings."},
        )
    if not no_findings and not findings:
        raise InvalidInput(
            "Describe the findings, or tick “No findings” to say there were none.",
            fields={"findings": "Required unless there are no findings."},
        )
    return findings


def sign_audit_review(
    *,
    actor: User,
    period_from: dt.date | None,
    period_to: dt.date | None,
    filters: dict[str, Any],
    findings: str,
    no_findings: bool,
    credentials: Credentials | None,
) -> AuditReview:
    """Record and sign a review of the trail's view `filters` over whole past days.

    The reviewer signs the scope they were shown (which events the view holds) with
    their findings; if the scope changed since (it cannot for past days, unless the
    filter names records differently now), nothing is signed."""
    _raise(_refusal(actor))
    audit_reviews.check_period(period_from, period_to)
    assert period_from is not None and period_to is not None  # checked just above
    cleaned = audit_reviews.clean_filter(filters)
    findings = _findings(findings, no_findings)

    def scope(_: User) -> dict[str, Any]:
        return audit_reviews.scope(
            viewer=actor, period_from=period_from, period_to=period_to, filters=cleaned
        )

    def review_of(reviewer: User) -> AuditReview:
        shown = scope(reviewer)
        return AuditReview(
            reviewer=actor,
            reviewed_at=timezone.now(),
            period_from=period_from,
            period_to=period_to,
            time_zone=settings.TIME_ZONE,
            filter=cleaned,
            events=shown["events"],
            first_seq=shown["first_seq"],
            last_seq=shown["last_seq"],
            last_hash=shown["last_hash"],
            findings=findings,
            no_findings=no_findings,
        )

    # The record locked is the reviewer's account: a review belongs to no other record.
    return perform(
        actor=actor,
        record=actor,
        queryset=User.objects.all(),
        check=lambda _: _refusal(actor),
        meaning="reviewed",
        credentials=credentials,
        signed=review_of,
        shown=scope,
        change=lambda _, review: _reviewed(actor, review),
    )


def _reviewed(actor: User, review: AuditReview) -> AuditReview:
    audit.record(
        actor=actor,
        action=REVIEWED,
        obj=review,
        changes=audit_reviews.review_changes(review),
        reason=review.findings,
    )
    return review


def _raise(error: DomainError | None) -> None:
    if error is not None:
        raise error
