"""`openqms archive verify`: check an archive with no database at all.

Every part against the manifest (SHA-256, size, row count; nothing missing, nothing
extra), the audit chain recomputed from its records with core's own hash scheme, every
signature's manifest hash recomputed and equal to the one its audit event recorded,
every signed content against its content hash, and every file against its name. Each
problem names the part (and line) it was found in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openqms.core import keys, signed_manifest
from openqms.core.archive import format as fmt
from openqms.core.audit import GENESIS_HASH, HASHED_FIELDS, canonical_json, event_text
from openqms.core.checkpoint_log import Entry
from openqms.core.models import Signature
from openqms.core.signatures import manifest_hash

CHUNK = 1 << 20


class Damaged(Exception):
    """A problem that stops the check (the archive cannot be read further)."""


@dataclass
class ArchiveReport:
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    signature: signed_manifest.Check = field(
        default_factory=lambda: signed_manifest.Check(signed_manifest.UNSIGNED)
    )
    # key ids of archived checkpoints no public key was given for (their signatures unchecked)
    unchecked_keys: set[str] = field(default_factory=set)

    @property
    def anchorable(self) -> bool:
        """Whether an import may sign a checkpoint over this trail: the manifest is signed
        by a trusted key and every archived checkpoint's signature was checked."""
        return self.ok and self.signature.trusted and not self.unchecked_keys

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return "archive DAMAGED:\n" + "\n".join(f"  {p}" for p in self.problems)
        chain, counts = self.manifest["chain"], self.manifest["counts"]
        checkpoints = counts.get(fmt.CHECKPOINT_PART, 0)
        return "\n".join(
            [
                f"archive intact: {len(self.manifest['parts'])} parts, "
                f"{counts.get(fmt.CHAIN_PART, 0):,} audit events to #{chain['head_seq']} "
                f"{chain['head_hash'][:16]}…, {_count(checkpoints, 'checkpoint')}, "
                f"{_count(self.manifest['files'], 'file')}",
                f"  manifest: {self.signature.sentence()}",
                *(f"  note: {note}" for note in self.notes),
            ]
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def verify_archive(path: Path, *, public_keys: Iterable[str] = ()) -> ArchiveReport:
    """Check the archive at `path`; checkpoints' signatures against this instance's public
    key, OPENQMS_TRUSTED_KEYS and `public_keys` (`ed25519:…` texts). No database."""
    report = ArchiveReport()
    try:
        trusted = signed_manifest.trusted_keys(public_keys)
    except ValueError as exc:
        report.problems.append(f"--public-key: {exc}")
        return report
    try:
        with zipfile.ZipFile(path) as z:
            report.manifest = _manifest(z)
            report.signature = _signature(z, trusted)
            try:
                _Checker(z, report, trusted).run()
            finally:  # first, but after the parts: they are checked whatever it says
                if report.signature.status == signed_manifest.BROKEN:
                    report.problems.insert(0, report.signature.problem)
    except Damaged as exc:
        report.problems.append(str(exc))
    except (zipfile.BadZipFile, OSError) as exc:
        report.problems.append(f"{path}: not a readable ZIP archive ({exc})")
    return report


def _signature(z: zipfile.ZipFile, trusted: dict) -> signed_manifest.Check:
    try:
        signature = z.read(signed_manifest.NAME)
    except KeyError:
        signature = None
    return signed_manifest.check(z.read(fmt.MANIFEST), signature, trusted)


def _manifest(z: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(z.read(fmt.MANIFEST))
    except KeyError:
        raise Damaged(f"{fmt.MANIFEST}: missing") from None
    except (ValueError, zipfile.BadZipFile) as exc:
        raise Damaged(f"{fmt.MANIFEST}: unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT:
        raise Damaged(f"{fmt.MANIFEST}: not an {fmt.FORMAT} manifest")
    for key in ("parts", "counts", "records", "chain", "files"):
        if key not in manifest:
            raise Damaged(f"{fmt.MANIFEST}: has no {key!r}")
    return manifest


class _Checker:
    def __init__(self, z: zipfile.ZipFile, report: ArchiveReport, trusted: dict) -> None:
        self.z, self.report, self.manifest = z, report, report.manifest
        self.problem = report.problems.append
        self.trusted = trusted
        self.sealer: keys.AuditKey | None = None  # this instance's key, if it sealed them

    def run(self) -> None:
        self.parts()
        if self.report.problems:  # the records are not what the manifest vouches for
            return
        signatures = self.signatures()
        checkpoints = list(self.rows(fmt.CHECKPOINT_PART)) if self.has(fmt.CHECKPOINT_PART) else []
        heads: dict[int, str | None] = {row["seq"]: None for _, row in checkpoints}
        own = keys.current()
        signers = {self.report.signature.key_id} | {row.get("key_id") for _, row in checkpoints}
        if own is not None and own.key_id in signers:  # sealed with the key held here
            self.sealer = own
        self.chain(signatures, heads)
        self.checkpoints(checkpoints, heads)
        self.signed_content(signatures)
        self.files()

    def has(self, part: str) -> bool:
        return part in self.manifest["parts"]

    def parts(self) -> None:
        listed = self.manifest["parts"]
        present = set(self.z.namelist()) - {fmt.MANIFEST, signed_manifest.NAME}
        for name in sorted(present - set(listed)):
            self.problem(f"{name}: not listed in the manifest (added)")
        for name in sorted(set(listed) - present):
            self.problem(f"{name}: listed in the manifest but missing")
        for name in sorted(present & set(listed)):
            digest, size, lines = hashlib.sha256(), 0, 0
            try:
                with self.z.open(name) as data:
                    while chunk := data.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        lines += chunk.count(b"\n")
            except zipfile.BadZipFile as exc:
                self.problem(f"{name}: unreadable ({exc})")
                continue
            want = listed[name]
            if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
                self.problem(f"{name}: its SHA-256 or size differs from the manifest")
            elif name in self.manifest["counts"] and lines != self.manifest["counts"][name]:
                counted = self.manifest["counts"][name]
                self.problem(f"{name}: {lines} lines, the manifest counts {counted}")
            if name.startswith("files/sha256/") and digest.hexdigest() != name.rsplit("/", 1)[1]:
                self.problem(f"{name}: its bytes do not match its SHA-256 name")
        for model_label, entry in self.manifest["records"].items():
            if entry.get("part") != fmt.record_part(model_label) or entry["part"] not in listed:
                self.problem(f"{fmt.MANIFEST}: the records of {model_label} have no part")

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        if name not in self.manifest["parts"]:
            raise Damaged(f"{name}: missing")
        with self.z.open(name) as raw:
            for number, line in enumerate(io.TextIOWrapper(raw, "utf-8", newline="\n"), 1):
                try:
                    row = json.loads(line)
                except ValueError:
                    raise Damaged(f"{name} line {number}: not a JSON object") from None
                if not isinstance(row, dict):
                    raise Damaged(f"{name} line {number}: not a JSON object")
                yield number, row

    def signatures(self) -> dict[int, tuple[int, str, str]]:
        """Signature id -> (its audit event, manifest hash, content hash); each manifest
        hash recomputed with core's own function."""
        found = {}
        for n, row in self.rows(fmt.SIGNATURE_PART):
            try:
                sig = Signature(
                    **{k: row[k] for k in row if k not in ("signed_at", "voided_at")},
                    signed_at=dt.datetime.fromisoformat(row["signed_at"]),
                )
                recomputed = manifest_hash(sig)
            except (KeyError, TypeError, ValueError) as exc:
                raise Damaged(f"{fmt.SIGNATURE_PART} line {n}: unreadable ({exc})") from None
            if recomputed != row["manifest_hash"]:
                self.problem(
                    f"{fmt.SIGNATURE_PART} line {n}: signature {row['id']}'s manifest hash "
                    "does not match its fields"
                )
            found[row["id"]] = (row["audit_event_id"], row["manifest_hash"], row["content_hash"])
        return found

    def chain(
        self, signatures: dict[int, tuple[int, str, str]], heads: dict[int, str | None]
    ) -> None:
        """Walk the chain; note the hash at each seq in `heads` (the checkpoints')."""
        recorded = {event: (sig, manifest) for sig, (event, manifest, _) in signatures.items()}
        prev, seq, sealed_from = GENESIS_HASH, 0, 0
        for n, e in self.rows(fmt.CHAIN_PART):
            seq += 1
            at = f"{fmt.CHAIN_PART} line {n}: event #{seq}"
            try:
                text = event_text(*(e[name] for name in HASHED_FIELDS))
            except KeyError as exc:
                raise Damaged(f"{fmt.CHAIN_PART} line {n}: has no {exc}") from None
            if e["seq"] != seq:
                what = "missing" if e["seq"] > seq else "out of order"
                return self.problem(f"{at} is {what} (found #{e['seq']})")
            if e["prev_hash"] != prev:
                return self.problem(f"{at}: its link to the event before does not match")
            if hashlib.sha256(text.encode()).hexdigest() != e["hash"]:
                return self.problem(f"{at}: its content was altered")
            prev = e["hash"]
            sealed_from = self.seal(at, e, sealed_from)
            if seq in heads:
                heads[seq] = prev
            if seq in recorded:
                sig, manifest = recorded.pop(seq)
                if _recorded_manifest(e["changes"]) != manifest:
                    self.problem(
                        f"{fmt.SIGNATURE_PART}: signature {sig}'s manifest hash is not the one "
                        f"event #{seq} recorded"
                    )
        head = self.manifest["chain"]
        if [seq, prev] != [head.get("head_seq"), head.get("head_hash")]:
            said = head.get("head_seq")
            self.problem(f"{fmt.CHAIN_PART}: the chain ends at #{seq}, the manifest says #{said}")
        for sig, _ in recorded.values():
            self.problem(f"{fmt.SIGNATURE_PART}: signature {sig}'s audit event is not in the chain")

    def seal(self, at: str, e: dict[str, Any], sealed_from: int) -> int:
        """With this instance's key at hand, each seal must be its HMAC over the event's
        hash, and once one event is sealed every later one must be (only events written
        before the key existed may lack a seal). Returns the first sealed seq."""
        if self.sealer is None:
            return sealed_from
        seal = e.get("seal") or ""
        if not seal:
            if sealed_from:  # named once: the first of them says enough
                self.problem(f"{at}: not sealed, though event #{sealed_from} before it was")
                self.sealer = None
            return sealed_from
        if not hmac.compare_digest(seal.encode(), self.sealer.seal(e["hash"]).encode()):
            self.problem(
                f"{at}: its seal does not match it under key {self.sealer.key_id} (forged or "
                "altered); later seals not checked"
            )
            self.sealer = None
        return sealed_from or e["seq"]

    def checkpoints(self, rows: list[tuple[int, dict[str, Any]]], heads: dict) -> None:
        """Each archived checkpoint names the chain's hash at its seq, links to the one
        before, and (where its key is known here) holds under its Ed25519 signature."""
        previous, unknown = "", set()
        for n, row in rows:
            at = f"{fmt.CHECKPOINT_PART} line {n}: checkpoint {row.get('id')}"
            try:
                entry = Entry(
                    row["seq"],
                    row["head_hash"],
                    row["at"],
                    json.loads(row["counts"]),
                    row["key_id"],
                    row["previous"],
                    row["signature"],
                )
            except (KeyError, ValueError) as exc:
                self.problem(f"{at}: unreadable ({exc})")
                continue
            if heads.get(entry.seq) != entry.head_hash:
                self.problem(f"{at}: its head hash is not the chain's at event #{entry.seq}")
            if entry.previous != previous:
                self.problem(f"{at}: does not link to the checkpoint before it")
            previous = entry.signature
            public = self.trusted.get(entry.key_id)
            if public is None:
                unknown.add(entry.key_id)
            elif not keys.signature_holds(public, entry.signature, entry.signed_text()):
                self.problem(f"{at}: does not match its Ed25519 signature")
        self.report.unchecked_keys = unknown
        if not rows and self.manifest["chain"].get("head_seq"):
            self.report.notes.append(
                "0 checkpoints: no checkpoint in this archive signs its audit trail."
            )
        if unknown:
            self.report.notes.append(
                f"checkpoints signed by key(s) {', '.join(sorted(unknown))} were not checked "
                "against a signature: give their public key with --public-key."
            )

    def signed_content(self, signatures: dict[Any, tuple[int, str, str]]) -> None:
        for n, row in self.rows(fmt.SIGNED_CONTENT):
            content = row.get("content", "")
            chash = hashlib.sha256(content.encode()).hexdigest()
            known = signatures.get(row.get("signature", 0))
            if known is None or not chash == row.get("content_hash") == known[2]:
                self.problem(
                    f"{fmt.SIGNED_CONTENT} line {n}: does not hash to signature "
                    f"{row.get('signature')}'s content hash"
                )
            elif canonical_json(json.loads(content)) != content:
                self.problem(f"{fmt.SIGNED_CONTENT} line {n}: the content is not canonical JSON")

    def files(self) -> None:
        count, parts = 0, self.manifest["parts"]
        for n, row in self.rows(fmt.FILE_PART):
            name = fmt.file_part(row["sha256"])
            if name not in parts:
                self.problem(f"{fmt.FILE_PART} line {n}: file {row['sha256']} is not archived")
            elif parts[name]["size"] != row["size"]:
                self.problem(f"{name}: {parts[name]['size']} bytes, its record says {row['size']}")
            count += 1
        stored = sum(1 for name in parts if name.startswith("files/"))
        if count != stored or count != self.manifest["files"]:
            self.problem(f"files/: {stored} files for {count} stored-file records")


def _recorded_manifest(changes: str) -> Any:
    try:
        return json.loads(changes).get("manifest_hash")
    except (ValueError, AttributeError):
        return None
