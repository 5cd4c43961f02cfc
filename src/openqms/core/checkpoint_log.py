"""Where checkpoints are written outside the database: an append-only log file of one JSON
line per checkpoint, and (optionally) one object per checkpoint in an S3 bucket with
object lock. Both copies hold exactly what was signed, so an auditor can check them with
the public key alone, without the database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openqms.core.audit import canonical_json, format_time
from openqms.core.models import Checkpoint

try:  # optional: `pip install openqms[s3]`
    import boto3
except ImportError:  # pragma: no cover - depends on what is installed
    boto3 = None

FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """One checkpoint as stated, whether read from a database row or from a log line."""

    seq: int
    head_hash: str
    at: str  # UTC, microseconds (audit.format_time)
    counts: dict[str, int]
    key_id: str
    previous: str  # the signature of the checkpoint before ("" for the first)
    signature: str

    def signed_text(self) -> str:
        """The exact text the Ed25519 signature covers."""
        return canonical_json(
            {
                "v": FORMAT,
                "seq": self.seq,
                "head_hash": self.head_hash,
                "at": self.at,
                "counts": self.counts,
                "key_id": self.key_id,
                "previous": self.previous,
            }
        )

    def line(self) -> str:
        data = json.loads(self.signed_text())
        data["signature"] = self.signature
        return canonical_json(data)

    def differs_from(self, other: Entry) -> list[str]:
        return [
            name
            for name in ("seq", "head_hash", "at", "counts", "key_id", "previous")
            if getattr(self, name) != getattr(other, name)
        ]

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> Entry:
        return cls(
            checkpoint.seq,
            checkpoint.head_hash,
            format_time(checkpoint.at),
            json.loads(checkpoint.counts),
            checkpoint.key_id,
            checkpoint.previous,
            checkpoint.signature,
        )

    @classmethod
    def parse(cls, text: str) -> Entry:
        """A log line back into an entry; ValueError if it is not one."""
        try:
            data: Any = json.loads(text)
            entry = cls(
                int(data["seq"]),
                str(data["head_hash"]),
                str(data["at"]),
                {str(k): int(v) for k, v in dict(data["counts"]).items()},
                str(data["key_id"]),
                str(data["previous"]),
                str(data["signature"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError("not a checkpoint") from None
        if data.get("v") != FORMAT:
            raise ValueError(f"unknown checkpoint format {data.get('v')!r}")
        return entry


def append(log, line: str) -> None:
    """Append one line to the open log (binary append mode) and force it to disk."""
    size = os.fstat(log.fileno()).st_size
    if size and _last_byte(log.name) != b"\n":  # a torn last line: keep ours on its own
        log.write(b"\n")
    log.write(line.encode() + b"\n")
    log.flush()
    os.fsync(log.fileno())


def _last_byte(path: str) -> bytes:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1)


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of every non-empty line, first to last; none if no file."""
    try:
        log = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        return
    with log:
        for number, text in enumerate(log, 1):
            if text.strip():
                yield number, text.strip()


def lines_backwards(path: Path, block: int = 1 << 16) -> Iterator[str]:
    """Every non-empty line, last to first, reading only as much of the file as needed."""
    try:
        log = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return
    with log:
        position, rest = log.seek(0, os.SEEK_END), b""
        while position > 0:
            step = min(block, position)
            position -= step
            log.seek(position)
            chunk = log.read(step) + rest
            parts = chunk.split(b"\n")
            rest = parts[0]
            for part in reversed(parts[1:]):
                if part.strip():
                    yield part.strip().decode("utf-8", errors="replace")
        if rest.strip():
            yield rest.strip().decode("utf-8", errors="replace")


def last_line(path: Path) -> str | None:
    return next(lines_backwards(path), None)


class S3NotAvailable(Exception):
    pass


def s3_client():
    if boto3 is None:
        raise S3NotAvailable(
            "OPENQMS_CHECKPOINT_S3_BUCKET is set but boto3 is not installed: "
            "pip install 'openqms[s3]'"
        )
    return boto3.client("s3")


def s3_key(prefix: str, entry: Entry) -> str:
    digest = hashlib.sha256(entry.signature.encode()).hexdigest()[:16]
    return f"{prefix}{entry.seq:012d}-{digest}.json"


def put_s3(client, bucket: str, prefix: str, entry: Entry) -> str:
    """Write one checkpoint as one object. The bucket's default object-lock retention
    keeps it from being changed or deleted; S3 needs Content-MD5 on such a bucket."""
    body = (entry.line() + "\n").encode()
    key = s3_key(prefix, entry)
    md5 = hashlib.md5(body, usedforsecurity=False).digest()
    client.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType="application/json",
        ContentMD5=base64.b64encode(md5).decode(),
    )
    return key
