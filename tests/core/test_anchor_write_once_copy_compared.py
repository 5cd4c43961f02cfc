"""With OPENQMS_CHECKPOINT_S3_BUCKET set, the full check also reads the write-once copy
(one object per checkpoint) and compares it with the rows and the log: someone who can
write to both the database and the log can roll them back together, but not the objects
that S3's object lock keeps. Checked offline with botocore's Stubber."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("botocore", reason="boto3 is not installed (openqms[s3])")

from botocore.response import StreamingBody

from openqms.core import checkpoint_log, checkpoints
from openqms.core.checkpoint_log import Entry
from openqms.core.models import Checkpoint
from tests.core.anchoring import checkpointed, delete_checkpoint, log_lines, tamper, write_log


def bucket_holds(s3, settings, objects: dict[str, str]) -> None:
    """Turn the copy on, holding `objects` (key -> text), as verify will read them."""
    settings.CHECKPOINT_S3_BUCKET, settings.CHECKPOINT_S3_PREFIX = "qms-checkpoints", "acme/"
    s3.add_response(
        "list_objects_v2",
        {"Contents": [{"Key": key} for key in objects], "IsTruncated": False},
        {"Bucket": "qms-checkpoints", "Prefix": "acme/"},
    )
    for key, text in objects.items():
        body = (text + "\n").encode()
        s3.add_response(
            "get_object",
            {"Body": StreamingBody(io.BytesIO(body), len(body))},
            {"Bucket": "qms-checkpoints", "Key": key},
        )


def copies(made) -> dict[str, str]:
    return {checkpoint_log.s3_key("acme/", Entry.of(c)): Entry.of(c).line() for c in made}


def test_a_copy_that_agrees_passes(db, s3, settings):
    made = checkpointed(3, 3)
    bucket_holds(s3, settings, copies(made))
    report = checkpoints.verify_anchored()
    assert report.ok and report.anchor_seq == 6, report.problems
    s3.assert_no_pending_responses()


def test_database_and_log_rolled_back_together_are_caught(db, s3, settings):
    made = checkpointed(3, 3, 2)
    newest = made[-1]
    # the newest checkpoint row, its log line and the events it covered: all gone
    delete_checkpoint(newest)
    write_log(log_lines()[:-1])
    tamper("DELETE FROM core_auditevent WHERE seq > 6")
    assert checkpoints.verify_anchored().ok  # without the copy, nothing shows
    bucket_holds(s3, settings, copies(made))
    report = checkpoints.verify_anchored()
    key = checkpoint_log.s3_key("acme/", Entry.of(newest))
    assert report.problems[0] == (
        "checkpoint in the write-once copy is missing from the log and database: the "
        f"checkpoint of {Entry.of(newest).at} (write-once copy, object {key}) (up to #8): "
        "the trail or log was rolled back."
    )
    assert any(p.startswith("truncated tail: the trail ends at #6") for p in report.problems)
    assert report.anchor_seq is None


def test_a_checkpoint_not_in_the_copy_is_named(db, s3, settings):
    made = checkpointed(2, 2)
    bucket_holds(s3, settings, copies(made[:1]))
    row = Checkpoint.objects.get(pk=made[1].pk)
    assert checkpoints.verify_anchored().problems == [
        f"checkpoint missing from the write-once copy: checkpoint #{row.pk} of "
        f"{Entry.of(row).at} (up to #4) is not in s3://qms-checkpoints/acme/ (the next "
        "checkpoint run writes it)."
    ]


def test_an_object_that_is_no_checkpoint_is_named(db, s3, settings):
    made = checkpointed(2)
    bucket_holds(s3, settings, {**copies(made), "acme/junk.json": "hello"})
    assert checkpoints.verify_anchored().problems == [
        "write-once copy edited: object acme/junk.json in s3://qms-checkpoints/acme/ is no "
        "checkpoint."
    ]


def test_an_unreadable_bucket_is_a_problem(db, s3, settings):
    checkpointed(2)
    settings.CHECKPOINT_S3_BUCKET, settings.CHECKPOINT_S3_PREFIX = "qms-checkpoints", "acme/"
    s3.add_client_error("list_objects_v2", service_error_code="AccessDenied")
    (problem,) = checkpoints.verify_anchored().problems
    assert problem.startswith("write-once copy unreadable: s3://qms-checkpoints/acme/: ")
    assert "AccessDenied" in problem
