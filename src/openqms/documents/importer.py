"""Bulk import of an existing document set: check everything, then write everything.

A folder of .md, .docx and .pdf files, with an optional CSV manifest
(file, number, title, type, revision, effective_date, owner). Markdown becomes the
revision's body; other files are kept as its original. Each document arrives with one
effective revision marked as a legacy import, with its source file's name and SHA-256.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from openqms.core.models import User
from openqms.core.text import UNSTORABLE, markdown_problem
from openqms.documents.models import Document, DocumentType, RevisionScheme

ACCEPTED = {".md", ".docx", ".pdf"}
COLUMNS = ["file", "number", "title", "type", "revision", "effective_date", "owner"]


@dataclass
class ImportRow:
    source: Path
    title: str
    doc_type: DocumentType
    owner: User
    number: str = ""
    label: str = ""
    effective_date: dt.date | None = None
    body: str = ""
    sha256: str = ""
    data: bytes = b""


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sequence_of(label: str, scheme: str) -> int:
    """The position of a revision label: A → 1, AA → 27; '3' → 3 for numbered types."""
    label = label.strip().upper()
    if scheme == RevisionScheme.NUMBERS:
        if not label.isdigit() or int(label) < 1:
            raise ValueError(f"revision {label!r} is not a number")
        return int(label)
    if not label.isalpha() or not label.isascii():
        raise ValueError(f"revision {label!r} is not a letter revision (A, B, … AA)")
    sequence = 0
    for char in label:
        sequence = sequence * 26 + (ord(char) - ord("A") + 1)
    return sequence


def _manifest(path: Path, plan: ImportPlan) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"file", "title"} - set(reader.fieldnames or [])
            if missing:
                plan.problems.append(
                    f"{path.name}: the header lacks {', '.join(sorted(missing))}"
                    f" (columns: {', '.join(COLUMNS)})"
                )
                return []
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        plan.problems.append(f"{path.name}: cannot be read as a UTF-8 CSV file ({exc})")
        return []


def plan_import(
    folder: Path, *, manifest: Path | None, default_type: str, default_owner: User
) -> ImportPlan:
    """Read and check everything; write nothing."""
    plan = ImportPlan()
    if not folder.is_dir():
        plan.problems.append(f"{folder} is not a folder")
        return plan
    types = {t.code: t for t in DocumentType.objects.all()}
    if manifest is not None:
        entries = _manifest(manifest, plan)
    else:
        entries = [
            {"file": p.name, "title": p.stem.replace("_", " ")}
            for p in sorted(folder.iterdir())
            if p.suffix.lower() in ACCEPTED
        ]
        if not entries:
            plan.problems.append(f"{folder} holds no .md, .docx or .pdf files")
    numbers: set[str] = set()
    for line, entry in enumerate(entries, start=2 if manifest else 1):
        where = f"{manifest.name} line {line}" if manifest else entry["file"]
        row = _check_entry(folder, entry, types, default_type, default_owner, where, plan)
        if row is None:
            continue
        if row.number:
            if row.number in numbers:
                plan.problems.append(f"{where}: number {row.number} appears twice")
                continue
            numbers.add(row.number)
        plan.rows.append(row)
    taken = set(Document.objects.filter(number__in=numbers).values_list("number", flat=True))
    for number in sorted(taken):
        plan.problems.append(f"number {number} already exists in OpenQMS")
    return plan


def _check_entry(folder, entry, types, default_type, default_owner, where, plan):
    problems_before = len(plan.problems)

    def refuse(message: str) -> None:
        plan.problems.append(f"{where}: {message}")

    path = folder / entry.get("file", "")
    if not entry.get("file") or path.suffix.lower() not in ACCEPTED:
        refuse(f"“{entry.get('file', '')}” is not a .md, .docx or .pdf file")
    elif path.resolve().parent != folder.resolve() or not path.is_file():
        refuse(f"the file “{entry['file']}” is not in {folder}")
    doc_type = types.get(entry.get("type") or default_type)
    if doc_type is None:
        refuse(f"unknown document type “{entry.get('type') or default_type}”")
    owner = default_owner
    if entry.get("owner"):
        owner = User.objects.filter(username=entry["owner"].lower(), is_active=True).first()
        if owner is None:
            refuse(f"no active user “{entry['owner']}”")
    title = entry.get("title", "")
    if not title or len(title) > 200:
        refuse("the title is missing or longer than 200 characters")
    effective = None
    if entry.get("effective_date"):
        try:
            effective = dt.date.fromisoformat(entry["effective_date"])
        except ValueError:
            refuse(f"effective date “{entry['effective_date']}” is not YYYY-MM-DD")
    label = entry.get("revision") or ""
    if label and doc_type is not None:
        try:
            sequence_of(label, doc_type.revision_scheme)
        except ValueError as exc:
            refuse(str(exc))
    if len(plan.problems) > problems_before:
        return None
    try:
        data = path.read_bytes()
        body = data.decode("utf-8") if path.suffix.lower() == ".md" else ""
    except OSError as exc:
        refuse(f"cannot read the file ({exc.strerror})")
        return None
    except UnicodeDecodeError:
        refuse("the Markdown file is not UTF-8 text")
        return None
    if not data:
        refuse("the file is empty")
        return None
    if any(UNSTORABLE.search(text) for text in (*entry.values(), body)):
        refuse("holds a NUL character or a lone surrogate, which cannot be stored")
        return None
    if problem := markdown_problem(body):
        refuse(f"the Markdown {problem}")
        return None
    return ImportRow(
        source=path,
        title=title,
        doc_type=doc_type,
        owner=owner,
        number=entry.get("number", ""),
        label=label.upper(),
        effective_date=effective,
        body=body,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
