"""With OPENQMS_CHECKPOINT_S3_BUCKET set, each checkpoint is also written as one object
(the bucket's object lock keeps it). Checked offline with botocore's Stubber."""

import base64
import hashlib

import pytest

pytest.importorskip("botocore", reason="boto3 is not installed (openqms[s3])")

from botocore.stub import ANY

from openqms.core import checkpoint_log, checkpoints
from openqms.core.checkpoint_log import Entry
from openqms.testing import record_events


@pytest.fixture(autouse=True)
def _bucket_on(settings):
    settings.CHECKPOINT_S3_BUCKET = "qms-checkpoints"
    settings.CHECKPOINT_S3_PREFIX = "acme/"


def test_one_object_per_checkpoint_holding_its_log_line(s3):
    entry = Entry(7, "a" * 64, "2026-11-29T14:00:00.000001+00:00", {"t": 1}, "k", "", "c2ln")
    body = (entry.line() + "\n").encode()
    key = f"acme/000000000007-{hashlib.sha256(b'c2ln').hexdigest()[:16]}.json"
    s3.add_response(
        "put_object",
        {},
        {
            "Bucket": "qms-checkpoints",
            "Key": key,
            "Body": body,
            "ContentType": "application/json",
            "ContentMD5": base64.b64encode(hashlib.md5(body).digest()).decode(),
        },
    )
    assert (
        checkpoint_log.put_s3(checkpoint_log.s3_client(), "qms-checkpoints", "acme/", entry) == key
    )
    s3.assert_no_pending_responses()


def listed(s3, *keys):
    contents = [{"Key": key} for key in keys]
    s3.add_response(
        "list_objects_v2",
        {"Contents": contents, "IsTruncated": False},
        {"Bucket": "qms-checkpoints", "Prefix": "acme/"},
    )


def put(s3, key=ANY):
    s3.add_response(
        "put_object",
        {},
        {
            "Bucket": "qms-checkpoints",
            "Key": key,
            "Body": ANY,
            "ContentType": ANY,
            "ContentMD5": ANY,
        },
    )


def test_make_checkpoint_writes_the_object(db, s3):
    record_events(2)
    s3.add_response(
        "put_object",
        {},
        {
            "Bucket": "qms-checkpoints",
            "Key": ANY,
            "Body": ANY,
            "ContentType": ANY,
            "ContentMD5": ANY,
        },
    )
    listed(s3)  # then the objects of earlier rows are looked for
    made = checkpoints.make_checkpoint()
    assert made.seq == 2
    s3.assert_no_pending_responses()


def test_a_failing_bucket_fails_the_checkpoint_loudly(db, s3):
    record_events(2)
    s3.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
    with pytest.raises(Exception, match="AccessDenied"):
        checkpoints.make_checkpoint()


def test_the_next_run_writes_the_object_a_failed_write_left_out(db, s3):
    record_events(2)
    s3.add_client_error("put_object", service_error_code="SlowDown", http_status_code=503)
    with pytest.raises(Exception, match="SlowDown"):
        checkpoints.make_checkpoint()
    first = checkpoints.Checkpoint.objects.get()  # committed, and in the log
    record_events(1)
    put(s3)  # the new checkpoint's object
    listed(s3, "acme/unrelated.json")
    put(s3, checkpoint_log.s3_key("acme/", Entry.of(first)))  # then the one left out
    made = checkpoints.make_checkpoint()
    assert made.seq == 3
    s3.assert_no_pending_responses()


def test_objects_already_there_are_not_written_again(db, s3):
    record_events(2)
    put(s3)
    listed(s3)
    first = checkpoints.make_checkpoint()
    record_events(1)
    put(s3)  # only the new one
    listed(s3, checkpoint_log.s3_key("acme/", Entry.of(first)))
    second = checkpoints.make_checkpoint()
    s3.assert_no_pending_responses()
    assert second.seq == 3
