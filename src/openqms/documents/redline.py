"""Redline: a word-level comparison of two revisions, and of their metadata."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from openqms.documents.models import Revision

_TOKENS = re.compile(r"\s+|[^\s]+")
META_FIELDS = ("label", "state", "change_summary", "change_reason", "effective_date")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


def compare_text(old: str, new: str) -> list[Segment]:
    """Words and the spaces between them, marked as kept, removed or added."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            segments.append(Segment("added", "".join(b[j1:j2])))
    return _merged(segments)


def _merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].kind == segment.kind:
            out[-1] = Segment(segment.kind, out[-1].text + segment.text)
        elif segment.text:
            out.append(segment)
    return out


@dataclass(frozen=True)
class FileChange:
    kind: str  # "added", "removed" or "replaced"
    name: str
    old_sha256: str | None
    new_sha256: str | None


@dataclass(frozen=True)
class Redline:
    old: Revision
    new: Revision
    body: list[Segment]
    metadata: list[tuple[str, object, object]]  # (field, old value, new value)
    files: list[FileChange]

    @property
    def unchanged(self) -> bool:
        return all(s.kind == "same" for s in self.body) and not self.metadata and not self.files


def _files(revision: Revision) -> dict[str, str]:
    return dict(revision.attachments.values_list("name", "stored_file__sha256"))


def compare_files(old: dict[str, str], new: dict[str, str]) -> list[FileChange]:
    """Attached files by name ({name: SHA-256}): added, removed, or the same name with
    other content (replaced); unchanged files are not listed."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "replaced"
        changes.append(FileChange(kind, name, before, after))
    return changes


def compare(old: Revision, new: Revision) -> Redline:
    if old.document_id != new.document_id:
        raise ValueError("Only revisions of the same document can be compared.")
    metadata = [
        (field, getattr(old, field), getattr(new, field))
        for field in META_FIELDS
        if getattr(old, field) != getattr(new, field)
    ]
    files = compare_files(_files(old), _files(new))
    return Redline(old, new, compare_text(old.body, new.body), metadata, files)


@dataclass(frozen=True)
class DraftConflict:
    """A refused save of a stale copy: the saved draft against what the person typed."""

    body: list[Segment]  # "removed": only in the saved draft; "added": only in their copy
    fields: list[tuple[str, object, object]]  # (field's label, saved value, their value)


def compare_draft(saved: Revision, theirs: dict) -> DraftConflict:
    """`theirs`: the posted body, change_summary, change_reason and effective_date."""
    labels = {
        "change_summary": "Change summary",
        "change_reason": "Change reason",
        "effective_date": "Effective date",
    }
    fields = [
        (label, getattr(saved, field), theirs.get(field))
        for field, label in labels.items()
        if getattr(saved, field) != theirs.get(field)
    ]
    return DraftConflict(compare_text(saved.body, theirs.get("body", "")), fields)
