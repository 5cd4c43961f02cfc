"""Which tests verify which requirement: a static read of the test files.

A test names what it verifies with `@pytest.mark.verifies("DOC-012", refusal=True)` on
a function or class, or `pytestmark = ...` (one mark or a list of marks) for a whole
file or class. The scan parses the files (AST) without importing them, so it runs on
an instance without the test dependencies and never runs test code. Ids must be
literal strings: anything else is reported, never guessed."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openqms.core.requirements import Requirement, Risk

MARK = "verifies"


@dataclass(frozen=True)
class Trace:
    test: str  # "tests/documents/test_x.py::TestY::test_z", or a file/class for pytestmark
    refusal: bool = False


@dataclass
class Scan:
    traces: dict[str, list[Trace]] = field(default_factory=dict)  # requirement id -> tests
    problems: list[str] = field(default_factory=list)  # markers the scan could not read

    def add(self, requirement_id: str, trace: Trace) -> None:
        self.traces.setdefault(requirement_id, []).append(trace)


def scan_tree(root: Path, *, relative_to: Path | None = None) -> Scan:
    """Every `verifies` marker in the Python files under `root`: read in pytest's test
    files (test_*.py, *_test.py), a problem anywhere else (no test runs there)."""
    scan = Scan()
    base = relative_to or root.parent
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(base).as_posix()
        source = path.read_text(encoding="utf-8")
        if _is_test_file(path.name):
            scan_source(source, name, scan)
        elif MARK in source:
            try:
                lines = sorted(line for line, _ in _marker_lines(ast.parse(source)))
            except SyntaxError:
                lines = []
            for line in lines:
                scan.problems.append(f"{name}, line {line}: a verifies marker outside a test file")
    return scan


def _is_test_file(filename: str) -> bool:
    return filename.endswith(".py") and (
        filename.startswith("test_") or filename.endswith("_test.py")
    )


def scan_source(source: str, name: str, scan: Scan | None = None) -> Scan:
    """The markers of one file's source; `name` is the file as tests are named."""
    scan = scan if scan is not None else Scan()
    try:
        tree = ast.parse(source, filename=name)
    except SyntaxError as exc:
        scan.problems.append(f"{name}: cannot be read ({exc.msg}, line {exc.lineno})")
        return scan
    read: set[int] = set()
    _scan_body(tree.body, name, scan, read)
    # A marker anywhere else (pytest.param(marks=...), an alias, a nested function) is
    # named rather than silently left out of the trace.
    unread = [line for line in _marker_lines(tree) if line[1] not in read]
    for lineno, _ in sorted(unread):
        scan.problems.append(
            f"{name}, line {lineno}: a verifies marker the scan cannot attribute "
            "(use it as a decorator or in pytestmark)"
        )
    return scan


def _marker_lines(tree: ast.AST) -> list[tuple[int, int]]:
    """(line, node id) of every `….mark.verifies` in the tree."""
    return [
        (node.lineno, id(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and _is_verifies(node)
    ]


def _scan_body(body: Sequence[ast.stmt], where: str, scan: Scan, read: set[int]) -> None:
    for node in body:
        if isinstance(node, ast.Assign) and _assigns_pytestmark(node):
            _read_marks(node.value, where, scan, read)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            here = f"{where}::{node.name}"
            marks = [d for d in node.decorator_list if _is_verifies(d)]
            is_test = node.name.startswith("Test" if isinstance(node, ast.ClassDef) else "test")
            if marks and not is_test:
                scan.problems.append(f"{here}: marks a verification on something not a test")
            for decorator in marks:
                _read_marks(decorator, here, scan, read)
            if isinstance(node, ast.ClassDef):
                _scan_body(node.body, here, scan, read)


def _assigns_pytestmark(node: ast.Assign) -> bool:
    return any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)


def _read_marks(value: ast.expr, where: str, scan: Scan, read: set[int]) -> None:
    marks = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    for mark in marks:
        if not _is_verifies(mark):
            continue
        read.add(id(mark.func if isinstance(mark, ast.Call) else mark))
        if not isinstance(mark, ast.Call) or not mark.args:
            scan.problems.append(f"{where}: a verifies marker names no requirement")
            continue
        refusal = False
        for keyword in mark.keywords:
            value = keyword.value
            flag = value.value if isinstance(value, ast.Constant) else None
            if keyword.arg != "refusal" or not isinstance(flag, bool):
                scan.problems.append(f"{where}: verifies takes only refusal=True or refusal=False")
                continue
            refusal = flag
        for arg in mark.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                scan.add(arg.value, Trace(where, refusal))
            else:
                scan.problems.append(
                    f"{where}: verifies needs literal string ids, not {ast.unparse(arg)}"
                )


def _is_verifies(node: ast.AST) -> bool:
    """`pytest.mark.verifies`, `mark.verifies`, with or without a call."""
    target = node.func if isinstance(node, ast.Call) else node
    return (
        isinstance(target, ast.Attribute)
        and target.attr == MARK
        and isinstance(target.value, ast.Attribute | ast.Name)
        and (target.value.attr if isinstance(target.value, ast.Attribute) else target.value.id)
        == "mark"
    )


def trace_problems(
    declared: Mapping[str, Sequence[Requirement]],
    scan: Scan,
    *,
    complete: Iterable[str],
) -> list[str]:
    """What keeps the requirements of `declared` from being traced, one sentence each.

    Every marker must name a declared requirement (of any module); the modules in
    `complete` must declare requirements, each tested, each HIGH one by a refusal."""
    known = {r.id for requirements in declared.values() for r in requirements}
    problems = list(scan.problems)
    for requirement_id, traces in sorted(scan.traces.items()):
        if requirement_id not in known:
            tests = ", ".join(sorted({t.test for t in traces}))
            problems.append(f"{tests}: names the unknown requirement {requirement_id!r}")
    for label in complete:
        requirements = declared.get(label, ())
        if not requirements:
            problems.append(f"{label}: declares no requirements")
        for requirement in requirements:
            traces = scan.traces.get(requirement.id, [])
            if not traces:
                problems.append(f"{requirement.id}: no test verifies it")
            elif requirement.risk == Risk.HIGH and not any(t.refusal for t in traces):
                problems.append(f"{requirement.id}: HIGH risk but no refusal=True test")
    return problems
