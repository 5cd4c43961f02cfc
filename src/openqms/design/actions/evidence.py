"""Verification evidence from CI: a JUnit XML run goes into an open baseline, each test
case linked to the verification or validation item it names (ISO 13485 7.3.6, 7.3.7:
records of the results of verification and validation).

A result records the item's version at the time; a later version of the item makes it
stale, and stale evidence does not count (design.evidence_status, the trace's
"evidence" rule)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import text
from openqms.core.models import User
from openqms.design import junit, trace
from openqms.design.models import (
    Baseline,
    BaselineState,
    Item,
    ItemState,
    ItemType,
    TestResult,
    TestRun,
)
from openqms.design.registry import EDIT

# The runs of letters and digits of a case's name: an ID is found only as a whole run of
# them (TEST-12 in "test_TEST_12_alarm", never in "TEST-123").
ATOM = re.compile(r"[A-Za-z0-9]+")
MAX_ATOMS_PER_ID = 8
UNKNOWN_LISTED = 1000


def normalise(uid: str) -> str:
    """How an ID is compared: test names cannot hold "-", so TEST_12 is TEST-12. Case
    matters (pytest's lower-case "test_12" is not TEST-12)."""
    return uid.replace("_", "-")


def _tokens(value: str) -> Iterable[str]:
    """Every run of up to MAX_ATOMS_PER_ID atoms of normalised `value`, in order."""
    value = normalise(value)
    atoms = [(m.start(), m.end()) for m in ATOM.finditer(value)]
    for i, (start, _) in enumerate(atoms):
        for _, end in atoms[i : i + MAX_ATOMS_PER_ID]:
            yield value[start:end]


def ids_in(value: str, known: dict[str, Item]) -> list[Item]:
    """The known items `value` names as whole tokens, in order, each once."""
    found: dict[int, Item] = {}
    for token in _tokens(value):
        item = known.get(token)
        if item is not None:
            found.setdefault(item.pk, item)
    return list(found.values())


def by_key(items: Iterable[Item]) -> tuple[dict[str, Item], dict[str, list[str]]]:
    """The items by normalised ID, and the keys two or more items share ("TEST_1" and
    "TEST-1"): those link no case by their normalised form, or one item would get the
    other's evidence; {key: their IDs}."""
    known: dict[str, Item] = {}
    shared: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda i: i.uid):
        key = normalise(item.uid)
        if key in shared:
            shared[key].append(item.uid)
        elif key in known:
            shared[key] = [known.pop(key).uid, item.uid]
        else:
            known[key] = item
    return known, shared


def ambiguous_in(value: str, shared: dict[str, list[str]]) -> list[str]:
    """The shared keys `value` names, as "TEST-1 (ambiguous: TEST-1, TEST_1)"."""
    if not shared:
        return []
    found = dict.fromkeys(token for token in _tokens(value) if token in shared)
    return [f"{key} (ambiguous: {', '.join(shared[key])})" for key in found]


def unknown_in(value: str, prefixes: Iterable[str], known: dict[str, Item]) -> list[str]:
    """IDs of the evidence types' shape (TEST-99) in `value` that name no known item."""
    shapes = "|".join(re.escape(p) for p in prefixes)
    if not shapes:
        return []
    pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{shapes})-\d+(?:\.\d+)*(?![A-Za-z0-9.])")
    return [m.group(0) for m in pattern.finditer(normalise(value)) if m.group(0) not in known]


def clean_file_name(value: str) -> str:
    name = str(value or "").replace("\\", "/").rsplit("/", 1)[-1]
    return text(name, "file name", limit=255)


@audit.writing()
def ingest_junit(
    *,
    actor: User,
    baseline: Baseline,
    data: bytes,
    file_name: str,
    commit: str = "",
    build: str = "",
) -> TestRun:
    """Read a JUnit XML file into `baseline` (which must be open): one TestRun and one
    TestResult per case and item it names. Everything is checked first; on any problem
    nothing is written."""
    require(actor, EDIT)
    file_name = clean_file_name(file_name)
    commit = text(commit, "commit", required=False, limit=100)
    build = text(build, "build", required=False, limit=200)
    if not isinstance(data, bytes):
        raise InvalidInput("The JUnit file must be bytes.", fields={"file": "?"})
    baseline = Baseline.objects.select_for_update().select_related("project").get(pk=baseline.pk)
    if baseline.state != BaselineState.OPEN:
        raise TransitionNotAllowed(
            f"Baseline “{baseline.name}” is signed: evidence goes into an open baseline."
        )
    cases = junit.parse(data)
    project = baseline.project
    types = list(ItemType.objects.filter(needs_evidence=True))
    active = list(Item.objects.filter(project=project, state=ItemState.ACTIVE, item_type__in=types))
    exact = {item.uid: item for item in active}
    known, shared = by_key(active)
    run = TestRun(
        project=project,
        baseline=baseline,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        commit=commit,
        build=build,
        ingested_at=timezone.now(),
        ingested_by=actor,
        cases=len(cases),
    )
    results: list[TestResult] = []
    unknown: list[list[str]] = []
    linked_items: dict[int, Item] = {}
    counts = {"passed": 0, "failed": 0, "skipped": 0, "unlinked": 0}

    def has(uid: str) -> bool:
        return uid in exact or normalise(uid) in known

    def described(uid: str) -> str:
        key = normalise(uid)
        return f"{key} (ambiguous: {', '.join(shared[key])})" if key in shared else uid

    for case in cases:
        counts["failed" if case.outcome == "error" else case.outcome] += 1
        named = case.named_ids()
        if named:
            # A property names an ID exactly; only a normalised match can be ambiguous.
            items = [exact.get(uid) or known[normalise(uid)] for uid in named if has(uid)]
            missing = [described(uid) for uid in named if not has(uid)]
        else:
            where = f"{case.classname} {case.name}"
            items = ids_in(where, known)
            missing = unknown_in(where, [t.prefix for t in types], known)
            missing = [uid for uid in missing if uid not in shared] + ambiguous_in(where, shared)
        unknown += [[case.label, uid] for uid in missing]
        if not items:
            counts["unlinked"] += 1
        targets: list[Item | None] = list(items) or [None]
        for item in targets:
            if item is not None:
                linked_items[item.pk] = item
            results.append(
                TestResult(
                    item=item,
                    item_version=item.version if item else None,
                    case=case.label[:500],
                    outcome=case.outcome,
                    duration=case.time,
                    message=case.message,
                )
            )
    run.linked = len(cases) - counts["unlinked"]
    run.summary = {**counts, "unknown": unknown[:UNKNOWN_LISTED], "unknown_count": len(unknown)}
    run.save()
    for result in results:
        result.run = run
    TestResult.objects.bulk_create(results, batch_size=2000)
    audit.record(
        actor=actor,
        action="design.evidence.ingested",
        obj=run,
        changes={
            "baseline": [None, baseline.name],
            "file": [None, file_name],
            "sha256": [None, run.sha256],
            "commit": [None, commit],
            "build": [None, build],
            "cases": [None, len(cases)],
            **{name: [None, count] for name, count in counts.items()},
        },
    )
    trace.refresh(project.pk, list(linked_items))
    return run
