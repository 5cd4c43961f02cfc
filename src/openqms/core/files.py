"""The file store: content-addressed by SHA-256, so a file is kept once however often it
is attached, and `openqms files verify` can prove the stored bytes are unchanged.

Files go through Django's storage API (a local folder by default, S3-compatible storage
where configured). Names are kept only on the records that attach a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.core.models import StoredFile

CHUNK = 1 << 20


def safe_name(name: str) -> str:
    """A file name fit to show and download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", PurePath(name.replace("\\", "/")).name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:200] or "file"


def check_name(name: str) -> str:
    name = safe_name(name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.FILE_TYPES:
        allowed = ", ".join(sorted(settings.FILE_TYPES))
        raise InvalidInput(
            f"“{name}”: files of this type are not accepted (allowed: {allowed}).",
            fields={"file": "Type not allowed."},
        )
    return name


def store(content: IO[bytes]) -> StoredFile:
    """Hash and keep the bytes once; refuse files over the configured size."""
    digest, size = hashlib.sha256(), 0
    limit = settings.FILE_MAX_BYTES
    with tempfile.TemporaryFile() as spool:
        while chunk := content.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise InvalidInput(
                    f"The file is larger than {limit // (1 << 20)} MB.",
                    fields={"file": "Too large."},
                )
            digest.update(chunk)
            spool.write(chunk)
        sha = digest.hexdigest()
        existing = StoredFile.objects.filter(sha256=sha).first()
        if existing is not None and default_storage.exists(existing.path):
            return existing
        spool.seek(0)
        path = f"sha256/{sha[:2]}/{sha}"
        if not default_storage.exists(path):
            default_storage.save(path, File(spool))
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha, size=size, stored_at=timezone.now())
    except IntegrityError:  # stored by a parallel request a moment ago
        return StoredFile.objects.get(sha256=sha)


def open_stored(stored: StoredFile) -> IO[bytes]:
    return default_storage.open(stored.path, "rb")


def verify_files(*, stored_after: dt.datetime | None = None) -> Iterator[tuple[StoredFile, str]]:
    """Each stored file whose bytes are missing or no longer match their hash (of those
    stored after `stored_after`, when given)."""
    stored_files = StoredFile.objects.order_by("pk")
    if stored_after is not None:
        stored_files = stored_files.filter(stored_at__gt=stored_after)
    for stored in stored_files.iterator(chunk_size=500):
        if not default_storage.exists(stored.path):
            yield stored, "missing"
            continue
        digest = hashlib.sha256()
        with default_storage.open(stored.path, "rb") as data:
            while chunk := data.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != stored.sha256:
            yield stored, "altered: its bytes no longer match its SHA-256"
