"""Where the operational test set is, and a private copy of it for one run.

A built wheel carries the suite as package data at `openqms/validation/suite/tests/...`
(setup.py copies the repository's tests/ there); a checkout or an editable install has
it at `<repository>/tests`. A run never works in either place: it copies the suite to a
fresh folder, so the installed files stay as the release manifest lists them.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

PACKAGED = Path(__file__).resolve().parent / "suite" / "tests"
CHECKOUT = Path(__file__).resolve().parents[3] / "tests"

# Left out of the shipped suite and of every run's copy: compiled files and the browser
# journeys (Playwright and Chromium, no verifies markers). The OQ runner's own samples
# ship: its tests run them (their conftest keeps them out of any other run).
EXCLUDED_DIRS = frozenset({"__pycache__", "browser"})
# Where those samples are (oq_samples, oq_samples_ending…): a run that names test files
# one by one (validation.oq.split) must leave them out itself, as pytest collects every
# file named on its command line.
SAMPLES_DIR = "oq_samples"
EXCLUDED_SUFFIXES = (".pyc", ".pyo")


def locate() -> Path | None:
    """The suite folder (named tests), packaged or of the checkout; None without one."""
    for candidate in (PACKAGED, CHECKOUT):
        if (candidate / "conftest.py").is_file():
            return candidate
    return None


def files(root: Path) -> list[Path]:
    """The suite's files under `root`, sorted, without what a run leaves out."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if set(relative.parts[:-1]) & EXCLUDED_DIRS or not path.is_file():
            continue
        if path.name in EXCLUDED_DIRS or path.name.endswith(EXCLUDED_SUFFIXES):
            continue
        found.append(path)
    return sorted(found)


def copy(root: Path, into: Path) -> str:
    """Copy the suite at `root` to `into`/tests; return one SHA-256 over its files
    (each file's relative path and content, in order)."""
    digest = hashlib.sha256()
    target = into / "tests"
    for path in files(root):
        relative = path.relative_to(root)
        data = path.read_bytes()
        digest.update(relative.as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(data)
    target.mkdir(parents=True, exist_ok=True)
    return digest.hexdigest()


def copy_tree_for_wheel(root: Path, into: Path) -> int:
    """What the build does (setup.py): the suite's files under `into`; how many."""
    count = 0
    for path in files(root):
        target = into / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count


def is_sample(relative: Path) -> bool:
    """A file of the OQ runner's samples (a folder named oq_samples or oq_samples_*)."""
    return any(part.startswith(SAMPLES_DIR) for part in relative.parts[:-1])


def is_test_file(name: str) -> bool:
    """pytest's default test file names (test_*.py, *_test.py)."""
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))
