"""A signed audit-trail review leaves in the archive like every record: its row, and the
content its signature covers, whose hash matches."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.management import call_command

from openqms.core import actions, trail
from openqms.core.signatures import Credentials
from openqms.testing import PASSWORD
from tests.core.archive_records import parts


def test_a_review_and_its_signed_content_are_archived(cast, tmp_path):
    yesterday = trail.today() - dt.timedelta(days=1)
    review = actions.sign_audit_review(
        actor=cast.qa_lead,
        period_from=yesterday,
        period_to=yesterday,
        filters={"record": "SOP-001"},
        findings="One late approval; raised CAPA-004.",
        no_findings=False,
        credentials=Credentials(PASSWORD),
    )
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    members = parts(archive)
    [row] = [json.loads(x) for x in members["records/core.auditreview.jsonl"].splitlines()]
    assert (row["id"], row["reviewer_id"], row["findings"]) == (
        review.pk,
        cast.qa_lead.pk,
        "One late approval; raised CAPA-004.",
    )
    assert row["filter"] == {"record": "SOP-001"}
    signed = [json.loads(x) for x in members["signatures/content.jsonl"].splitlines()]
    [content] = [s for s in signed if '"no_findings":false' in s["content"]]
    assert hashlib.sha256(content["content"].encode()).hexdigest() == content["content_hash"]
