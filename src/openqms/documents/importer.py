"""Bulk import of an existing document set: check everything, then write everything.

A folder of .md, .docx and .pdf files, with an optional CSV manifest (file, number,
title, type, revision, effective_date, owner, approval_ref, next_review). A type is
named by its code (work_instruction), its prefix (WI) or its name (Work instruction).
Without a manifest each file's name says what it is, by the document types' numbering
(documents.numbering): "POL-002 Quality policy rev C.docx" is POL-002, of the type whose
prefix is POL, titled "Quality policy", revision C. A file whose name matches no type's
numbering is refused, unless `--type` says which type numbers it. Markdown becomes the
revision's body; other files are kept as its original. Each document arrives with one
effective revision marked as a legacy import (approved outside OpenQMS): its source
file's name and SHA-256, its legacy effective date, the paper approval's reference and
its importer.

The plan is the whole check: a dry run and the real run validate exactly the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from openqms.core.models import User
from openqms.core.text import UNSTORABLE, markdown_problem
from openqms.documents.models import Document, DocumentType
from openqms.documents.numbering import label_problem, number_pattern, number_problem

ACCEPTED = {".md", ".docx", ".pdf"}
COLUMNS = ["file", "number", "title", "type", "revision", "effective_date", "owner"]
OPTIONAL_COLUMNS = ["approval_ref", "next_review"]
# "… rev C", "… Rev. 2", "… revision B" at the end of a file name
_REVISION = re.compile(r"[\s_]+rev(?:ision)?\.?[\s_]*([A-Za-z0-9]+)$", re.IGNORECASE)


@dataclass
class ImportRow:
    source: Path
    title: str
    doc_type: DocumentType
    owner: User
    number: str = ""
    label: str = ""
    effective_date: dt.date | None = None
    approval_ref: str = ""
    next_review: dt.date | None = None  # the first periodic review, if not by the interval
    body: str = ""
    sha256: str = ""
    data: bytes = b""


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Defaults:
    """What the command line gives for whatever a manifest or a file name leaves out."""

    owner: User
    doc_type: str | None = None  # --type: the type of files that match no numbering
    effective_date: dt.date | None = None
    approval_ref: str = ""
    next_review: dt.date | None = None


def type_named(text: str, types: dict[str, DocumentType]) -> DocumentType | None:
    """The type a person names by its code, its prefix or its name, in any case."""
    wanted = text.strip().casefold()
    for t in types.values():
        if wanted in (t.code.casefold(), t.prefix.casefold(), t.name.casefold()):
            return t
    return None


def type_choices(types: dict[str, DocumentType]) -> str:
    """The type codes, for an error message (the prefix or name also works)."""
    return "; the codes: " + ", ".join(sorted(types))


def _manifest(path: Path, plan: ImportPlan) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"file", "title"} - set(reader.fieldnames or [])
            if missing:
                plan.problems.append(
                    f"{path.name}: the header lacks {', '.join(sorted(missing))}"
                    f" (columns: {', '.join(COLUMNS + OPTIONAL_COLUMNS)})"
                )
                return []
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        plan.problems.append(f"{path.name}: cannot be read as a UTF-8 CSV file ({exc})")
        return []


def read_file_name(name: str, by_prefix: dict[str, DocumentType]) -> dict[str, str]:
    """What a file's name says: number, type, title and revision where it follows a type's
    numbering ("POL-002 Quality policy rev C.docx"); only the title (and revision) where
    it does not. Underscores count as spaces; the prefix in any case."""
    stem = Path(name).stem.replace("_", " ").strip()
    entry = {"file": name}
    revision = _REVISION.search(stem)
    if revision:
        entry["revision"] = revision.group(1).upper()
        stem = stem[: revision.start()].strip()
    head, _, rest = stem.partition(" ")
    prefix, hyphen, _ = head.partition("-")
    doc_type = by_prefix.get(prefix.upper()) if hyphen else None
    if doc_type is None:
        entry["title"] = stem
        return entry
    entry.update(number=head.upper(), type=doc_type.code, title=rest.strip(" -–"))
    return entry


def plan_import(
    folder: Path,
    *,
    manifest: Path | None,
    default_type: str | None = None,
    default_owner: User,
    defaults: Defaults | None = None,
) -> ImportPlan:
    """Read and check everything, and decide every number; write nothing."""
    defaults = defaults or Defaults(owner=default_owner, doc_type=default_type)
    plan = ImportPlan()
    if not folder.is_dir():
        plan.problems.append(f"{folder} is not a folder")
        return plan
    types = {t.code: t for t in DocumentType.objects.all()}
    if defaults.doc_type:
        named = type_named(defaults.doc_type, types)
        if named is None:
            plan.problems.append(
                f"--type: unknown document type “{defaults.doc_type}” (give its code, prefix "
                f"or name{type_choices(types)})"
            )
            return plan
        defaults = replace(defaults, doc_type=named.code)
    if manifest is not None:
        entries = _manifest(manifest, plan)
    else:
        by_prefix = {t.prefix.upper(): t for t in types.values()}
        entries = [
            read_file_name(p.name, by_prefix)
            for p in sorted(folder.iterdir())
            if p.suffix.lower() in ACCEPTED
        ]
        if not entries:
            plan.problems.append(f"{folder} holds no .md, .docx or .pdf files")
    numbers: set[str] = set()
    for line, entry in enumerate(entries, start=2 if manifest else 1):
        where = f"{manifest.name} line {line}" if manifest else entry["file"]
        row = _check_entry(folder, entry, types, defaults, where, plan, from_name=not manifest)
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
    _number_the_rest(plan.rows, numbers)
    return plan


def _number_the_rest(rows: list[ImportRow], given: set[str]) -> None:
    """Rows without a number get the type's next ones, after every number this import
    keeps (as the real run writes them); the plan shows each number as it will be."""
    counters: dict[int, int] = {}
    for row in rows:
        doc_type = row.doc_type
        counters.setdefault(doc_type.pk, doc_type.next_number)
        if row.number and number_pattern(doc_type).fullmatch(row.number):
            n = int(row.number.rsplit("-", 1)[1])
            counters[doc_type.pk] = max(counters[doc_type.pk], n + 1)
    used = set(Document.objects.values_list("number", flat=True)) | given
    for row in rows:
        if row.number:
            continue
        n = counters[row.doc_type.pk]
        while row.doc_type.format_number(n) in used:
            n += 1
        row.number = row.doc_type.format_number(n)
        used.add(row.number)
        counters[row.doc_type.pk] = n + 1


def _check_entry(folder, entry, types, defaults, where, plan, *, from_name):
    problems_before = len(plan.problems)

    def refuse(message: str) -> None:
        plan.problems.append(f"{where}: {message}")

    name = entry.get("file", "")
    path = folder / name
    if not name or path.suffix.lower() not in ACCEPTED:
        refuse(f"“{name}” is not a .md, .docx or .pdf file")
    elif path.resolve().parent != folder.resolve() or not path.is_file():
        refuse(f"the file “{name}” is not in {folder}")
    elif len(name) > 200:
        refuse("the file name is longer than 200 characters")
    number = entry.get("number", "").upper()
    code = entry.get("type") or (_type_of(number, types) if number else "") or defaults.doc_type
    doc_type = type_named(code, types) if code else None
    if doc_type is None and from_name:
        patterns = ", ".join(sorted(f"{t.format_number(1)} …" for t in types.values()))
        refuse(
            f"the name matches no document type's numbering ({patterns}); rename it or give --type"
        )
    elif doc_type is None:
        refuse(
            f"unknown document type “{code}” (give its code, prefix or name{type_choices(types)})"
            if code
            else "no type: fill in the type column"
        )
    if doc_type is not None and number:
        problem = number_problem(doc_type, number)
        if problem:
            refuse(problem)
    owner = defaults.owner
    if entry.get("owner"):
        owner = User.objects.filter(username=entry["owner"].lower(), is_active=True).first()
        if owner is None:
            refuse(f"no active user “{entry['owner']}”")
    title = entry.get("title", "")
    if not title:
        refuse("no title (in a file name: the words after the number)")
    elif len(title) > 200:
        refuse("the title is longer than 200 characters")
    effective = defaults.effective_date
    if entry.get("effective_date"):
        try:
            effective = dt.date.fromisoformat(entry["effective_date"])
        except ValueError:
            refuse(f"effective date “{entry['effective_date']}” is not YYYY-MM-DD")
    next_review = defaults.next_review
    if entry.get("next_review"):
        try:
            next_review = dt.date.fromisoformat(entry["next_review"])
        except ValueError:
            refuse(f"next review “{entry['next_review']}” is not YYYY-MM-DD")
    if next_review and doc_type is not None and not doc_type.review_interval_months:
        refuse(f"a {doc_type.name} has no periodic review: leave next_review empty")
    approval_ref = entry.get("approval_ref") or defaults.approval_ref
    if len(approval_ref) > 200:
        refuse("the approval reference is longer than 200 characters")
    label = (entry.get("revision") or "").upper()
    if label and doc_type is not None:
        problem = label_problem(doc_type, label)
        if problem:
            refuse(problem)
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
    if any(UNSTORABLE.search(text) for text in (*entry.values(), body, approval_ref)):
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
        number=number,
        label=label,
        effective_date=effective,
        approval_ref=approval_ref,
        next_review=next_review,
        body=body,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _type_of(number: str, types: dict[str, DocumentType]) -> str:
    """The code of the type whose prefix starts `number` (a manifest row with no type)."""
    prefix = number.partition("-")[0]
    return next((t.code for t in types.values() if t.prefix.upper() == prefix), "")
