"""What ships is what is tested: the built wheel holds every template, static file and
migration of every module (an editable install reads them from the checkout, so only a
real wheel shows a file left out of the package data)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import openqms
from openqms.validation import suite

# The checkout the imported package comes from (the OQ runs a copy of this file
# elsewhere; an installed package has no source tree to build a wheel from).
ROOT = Path(openqms.__file__).resolve().parents[2]
SRC = ROOT / "src"
TESTS = ROOT / "tests"
SUITE_IN_WHEEL = "openqms/validation/suite/tests/"


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
    if not (ROOT / "pyproject.toml").is_file() or not (SRC / "openqms").is_dir():
        pytest.skip("building the wheel needs the source tree (a checkout), not an install")
    # Build from a clean copy: an in-tree build/ directory can carry stale files.
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    shutil.copytree(SRC, tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # tests/ too: setup.py ships it as the operational test set of `openqms validate`
    shutil.copytree(TESTS, tree / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "setup.py", "CHANGELOG.md"):
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


@pytest.mark.verifies("VAL-024")
def test_the_wheel_carries_the_operational_test_set(wheel):
    expected = {SUITE_IN_WHEEL + p.relative_to(TESTS).as_posix() for p in suite.files(TESTS)}
    shipped = {n for n in wheel.namelist() if n.startswith("openqms/validation/suite/")}
    assert SUITE_IN_WHEEL + "conftest.py" in expected
    assert SUITE_IN_WHEEL + "validation/test_oq_configuration.py" in expected
    assert shipped == expected
    # Left out: the browser journeys (no verifies markers); the runner's samples ship.
    assert [n for n in shipped if "/browser/" in n] == []
    assert SUITE_IN_WHEEL + "validation/oq_samples/test_samples.py" in shipped
    # and the release notes, which a test of the set reads
    notes = wheel.read("openqms/validation/data/CHANGELOG.md")
    assert notes == (ROOT / "CHANGELOG.md").read_bytes()


@pytest.mark.verifies("VAL-024")
def test_an_installed_wheel_finds_its_packaged_suite(wheel, tmp_path):
    wheel.extractall(tmp_path)
    spec = importlib.util.spec_from_file_location(
        "installed_suite", tmp_path / "openqms" / "validation" / "suite.py"
    )
    installed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(installed)
    assert installed.locate() == tmp_path / "openqms" / "validation" / "suite" / "tests"
