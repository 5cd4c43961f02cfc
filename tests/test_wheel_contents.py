"""What ships is what is tested: the built wheel holds every template, static file and
migration of every module (an editable install reads them from the checkout, so only a
real wheel shows a file left out of the package data)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def shipped_source_files() -> set[str]:
    """Every file under src/openqms/**/templates, static and migrations, as wheel paths."""
    found = set()
    for path in (SRC / "openqms").rglob("*"):
        parts = path.relative_to(SRC).parts
        if not path.is_file() or "__pycache__" in parts or path.suffix == ".pyc":
            continue
        if {"templates", "static", "migrations"} & set(parts[:-1]):
            found.add("/".join(parts))
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # Build from a clean copy: an in-tree build/ directory can carry stale files.
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    shutil.copytree(SRC, tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--wheel-dir", str(work / "dist"), str(tree)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = (work / "dist").glob("openqms-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_the_wheel_holds_every_template_static_file_and_migration(wheel):
    expected = shipped_source_files()
    assert any("/training/templates/" in name for name in expected)  # the case that broke
    assert expected - set(wheel.namelist()) == set()


def test_the_wheel_holds_no_compiled_leftovers(wheel):
    assert [n for n in wheel.namelist() if "__pycache__" in n or n.endswith(".pyc")] == []
