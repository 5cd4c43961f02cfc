"""What `openqms restore` checks besides the manifest's hashes: that the audit key
vouches for the backup (its manifest's signature), and that the restored trail and
checkpoint rows agree with the backup's own copy of the checkpoint log.

A backup's manifest lists the SHA-256 of every file, so whoever rewrites the database
copy can rewrite the manifest too; only its signature (core.signed_manifest) cannot be
remade without the key. The checkpoint log copy is checked line by line under the
trusted keys, so a restored trail that differs from what was signed is named, whatever
this instance's own log holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openqms.core import checkpoint_log, keys, signed_manifest
from openqms.core.checkpoint_log import Entry
from openqms.core.models import AuditEvent, Checkpoint

BATCH = 1000


def signature_refusal(manifest: Path, signature: Path) -> str:
    """Why the backup cannot be restored for want of a trusted signature ("" if it can)."""
    found = signed_manifest.check(
        manifest.read_bytes(),
        signature.read_bytes() if signature.is_file() else None,
        signed_manifest.trusted_keys(),
    )
    if found.trusted:
        return ""
    if found.status == signed_manifest.BROKEN:
        return f"Refusing to restore: {found.problem}; nothing was written."
    return (
        f"Refusing to restore: the backup's manifest is {found.sentence()}; nothing was "
        "written. `openqms backup` signs it with the audit key: restore on an instance that "
        "holds that key (OPENQMS_AUDIT_KEY) or trusts it (OPENQMS_TRUSTED_KEYS)."
    )


def _entries(log: Path, problems: list[str]) -> Iterator[Entry]:
    for number, text in checkpoint_log.lines(log):
        try:
            yield Entry.parse(text)
        except ValueError as exc:
            problems.append(f"the backup's checkpoint log, line {number}: {exc}")


def log_problems(log: Path, manifest: dict[str, Any]) -> list[str]:
    """The restored database against the backup's checkpoint log copy: each line signed by
    a trusted key, each line's head hash the restored chain's at its seq, each restored
    checkpoint row a line of the log, and the manifest's checkpoint among them."""
    problems: list[str] = []
    named = manifest.get("checkpoint")
    if not log.is_file():
        if named or Checkpoint.objects.exists():
            problems.append("the backup holds checkpoints but no copy of the checkpoint log")
        return problems
    trusted = signed_manifest.trusted_keys()
    logged: dict[int, Entry] = {}
    for entry in _entries(log, problems):
        public = trusted.get(entry.key_id)
        if public is None or not keys.signature_holds(public, entry.signature, entry.signed_text()):
            problems.append(
                f"the backup's checkpoint log: the checkpoint at #{entry.seq} does not hold "
                f"under a trusted key (key {entry.key_id})"
            )
        logged[entry.seq] = entry
    seqs = sorted(logged)
    for start in range(0, len(seqs), BATCH):
        chunk = seqs[start : start + BATCH]
        hashes = dict(AuditEvent.objects.filter(seq__in=chunk).values_list("seq", "hash"))
        for seq in chunk:
            if seq in hashes and hashes[seq] != logged[seq].head_hash:
                problems.append(
                    f"the restored audit chain's event #{seq} is not the one the backup's "
                    "checkpoint log signed"
                )
    for row in Checkpoint.objects.order_by("id").iterator(BATCH):
        logged_entry = logged.get(row.seq)
        if logged_entry is None or Entry.of(row).differs_from(logged_entry):
            problems.append(
                f"restored checkpoint {row.pk} (#{row.seq}) is not in the backup's checkpoint log"
            )
    if named and named["seq"] not in logged:
        problems.append(f"the backup's checkpoint #{named['seq']} is not in its checkpoint log")
    return problems
