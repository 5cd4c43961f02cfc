"""A review is refused, writing nothing, without the permission, for days not yet
ended, for a period backwards, without findings or "no findings" (or with both), with
a wrong password, or when the view changed after the reviewer was shown it."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from openqms.core import actions, trail
from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.models import AuditReview, Signature
from openqms.core.signatures import Credentials
from openqms.testing import PASSWORD, event_count

SIGN = Credentials(PASSWORD)


def _review(actor, **changed):
    yesterday = trail.today() - dt.timedelta(days=1)
    values = {
        "period_from": yesterday,
        "period_to": yesterday,
        "filters": {},
        "findings": "",
        "no_findings": True,
        "credentials": SIGN,
        **changed,
    }
    return actions.sign_audit_review(actor=actor, **values)


@pytest.mark.verifies("CORE-020", refusal=True)
@pytest.mark.parametrize(
    ("who", "changed", "error", "message"),
    [
        ("auditor", {}, PermissionRefused, "Review the audit trail"),
        ("qa_lead", {"period_to": "today"}, InvalidInput, "whole days that have ended"),
        ("qa_lead", {"period_from": "today"}, InvalidInput, "ends before it starts"),
        ("qa_lead", {"period_from": None}, InvalidInput, "first and last day"),
        ("qa_lead", {"no_findings": False}, InvalidInput, "Describe the findings"),
        ("qa_lead", {"findings": "Odd sign-ins"}, InvalidInput, "not both"),
        ("qa_lead", {"filters": {"action": "core.nonsense"}}, InvalidInput, "from the list"),
        ("qa_lead", {"credentials": Credentials("wrong")}, ReauthenticationFailed, None),
        (
            "qa_lead",
            {"credentials": Credentials(PASSWORD, content_hash="0" * 64)},
            TransitionNotAllowed,
            "changed",
        ),
    ],
)
def test_a_refused_review_writes_nothing(cast, who, changed, error, message):
    changed = {k: trail.today() if v == "today" else v for k, v in changed.items()}
    before = event_count()
    with pytest.raises(error, match=message):
        _review(getattr(cast, who), **changed)
    assert AuditReview.objects.count() == 0
    assert Signature.objects.filter(object_type="core.auditreview").count() == 0
    if error is not ReauthenticationFailed:  # a wrong password is itself recorded
        assert event_count() == before


@pytest.mark.verifies("CORE-020", refusal=True)
def test_a_signed_review_is_never_changed_or_deleted(cast):
    review = _review(cast.qa_lead)
    for sql in ("UPDATE core_auditreview SET findings = 'x'", "DELETE FROM core_auditreview"):
        with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditReview.objects.get().findings == review.findings == ""


def test_the_database_refuses_a_review_that_says_nothing(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditReview.objects.create(
            reviewer=cast.qa_lead,
            reviewed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            period_from=dt.date(2026, 1, 1),
            period_to=dt.date(2026, 1, 1),
            time_zone="UTC",
            events=0,
        )
