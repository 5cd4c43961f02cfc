"""`openqms verify` checks a signed audit-trail review like every signed record, and
against the event that recorded it: clean after signing; an edit made behind the
triggers breaks its signature and disagrees with the trail; a deleted row is missed."""

import datetime as dt

from django.db import connection

from openqms.core import actions, integrity, trail
from openqms.core.models import AuditReview
from openqms.core.signatures import Credentials
from openqms.core.triggers import drop_triggers, install_triggers
from openqms.testing import PASSWORD


def _signed_review(cast) -> AuditReview:
    yesterday = trail.today() - dt.timedelta(days=1)
    return actions.sign_audit_review(
        actor=cast.qa_lead,
        period_from=yesterday,
        period_to=yesterday,
        filters={},
        findings="",
        no_findings=True,
        credentials=Credentials(PASSWORD),
    )


def test_a_signed_review_verifies_clean(cast):
    _signed_review(cast)
    report = integrity.run()
    assert report.findings == []
    checked = {s.name: s.checked for s in report.sections}
    assert (checked["signatures"], checked["core: audit trail reviews"]) == (1, 1)


def test_a_review_edited_behind_the_triggers_breaks_its_signature(cast):
    review = _signed_review(cast)
    drop_triggers(connection)
    try:
        AuditReview.objects.filter(pk=review.pk).update(no_findings=False, findings="x")
    finally:
        install_triggers(connection)
    [found] = [f for f in integrity.run().findings if f.check == "signatures"]
    assert f"reviewed, core.auditreview {review.pk} version {review.pk}" in found.record
    assert found.row_says.endswith("(changed after signing)")
    [found] = [f for f in integrity.run().findings if f.check == "core: audit trail reviews"]
    assert found.record == f"core.auditreview {review.pk} ({review})"
    assert '"no_findings":true' in found.trail_says
    assert '"no_findings":false' in found.row_says


def test_a_review_deleted_behind_the_triggers_is_missed(cast):
    review = _signed_review(cast)
    drop_triggers(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditreview")
    finally:
        install_triggers(connection)
    found = [f for f in integrity.run().findings if f.check == "core: audit trail reviews"]
    assert [(f.record, f.row_says) for f in found] == [
        (f"core.auditreview {review.pk}", "no row (deleted)")
    ]
