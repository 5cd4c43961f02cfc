#!/usr/bin/env python3
"""Make a release: the lock file, the wheel with its manifest, and the SBOM.

    python3 release/build.py lock     pin the runtime dependencies and the OQ extra's
                                      (pytest, pytest-django, hypothesis) with hashes
                                      (src/openqms/validation/data/requirements.lock)
    python3 release/build.py          check CHANGELOG.md has the version's section
                                      (openqms/validation/changelog.py), then build
                                      dist/openqms-<v>-py3-none-any.whl, with
                                      dist/openqms-<v>-manifest.json (SHA-256 of every
                                      file the wheel installs; also inside the wheel, for
                                      `openqms validate`) and dist/openqms-<v>-sbom.cdx.json
                                      (CycloneDX), after installing the wheel as the
                                      production install does into a scratch environment

The tools (pip-tools, build, cyclonedx-bom) go into a throwaway virtual environment under
the system's temporary folder, never into the project's .venv; they and the dependencies
come from PyPI. The manifest is made from the built wheel by the same code IQ reads it
with (openqms/validation/manifest.py); the wheel is then built again with the manifest
inside, and the script checks every other file came out the same.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openqms import __version__  # noqa: E402  (from the checkout, not an install)
from openqms.validation import manifest  # noqa: E402  (stdlib only: no Django needed)
from openqms.validation.changelog import ChangelogError, release_section  # noqa: E402

LOCK = ROOT / "src/openqms/validation/data/requirements.lock"
DIST = ROOT / "dist"
TOOLS = Path(tempfile.gettempdir()) / "openqms-release-tools"
TOOL_PINS = ["pip-tools>=7.4", "build>=1.2", "cyclonedx-bom>=4.6"]


def run(*command: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run([str(c) for c in command], cwd=cwd, check=True)


def python_of(folder: Path) -> Path:
    return folder / "bin" / "python"


def tools() -> Path:
    if not python_of(TOOLS).exists():
        venv.create(TOOLS, with_pip=True)
        run(python_of(TOOLS), "-m", "pip", "install", "-q", *TOOL_PINS)
    return python_of(TOOLS)


def lock() -> None:
    run(
        tools(),
        "-m",
        "piptools",
        "compile",
        "-q",
        "--generate-hashes",
        "--strip-extras",
        "--no-emit-index-url",
        "--no-emit-find-links",
        # What `openqms validate` runs the operational test set with (pytest,
        # pytest-django, hypothesis): the validated install carries it, pinned like the rest
        "--extra",
        "oq",
        "--output-file",
        LOCK.relative_to(ROOT),
        "pyproject.toml",
    )
    print(f"wrote {LOCK.relative_to(ROOT)}")


def build_wheel(into: Path) -> Path:
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    run(tools(), "-m", "build", "--wheel", "--outdir", into)
    shutil.rmtree(ROOT / "src" / "openqms.egg-info", ignore_errors=True)  # else the
    # checkout looks installed to importlib.metadata
    (wheel,) = into.glob(f"openqms-{__version__}-*.whl")
    return wheel


def without_self(files: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in files.items() if k != manifest.SELF}


def release() -> None:
    try:  # customers read what changed before they upgrade (docs/validation.md)
        release_section((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), __version__)
    except ChangelogError as exc:
        sys.exit(f"not building {__version__}: {exc}")
    if not LOCK.exists():
        sys.exit(f"{LOCK.relative_to(ROOT)} is missing: run `python3 release/build.py lock`")
    DIST.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as first:
        manifest.PACKAGED.unlink(missing_ok=True)
        made = manifest.from_wheel(build_wheel(Path(first)), __version__)
    try:
        manifest.PACKAGED.write_text(made.to_json(), encoding="utf-8")
        for old in DIST.glob(f"openqms-{__version__}-*"):
            old.unlink()
        wheel = build_wheel(DIST)
    finally:
        manifest.PACKAGED.unlink(missing_ok=True)  # a checkout never claims to be a release
    again = manifest.from_wheel(wheel, __version__)
    if without_self(again.files) != made.files:
        sys.exit("the second build differs from the first: the manifest would be wrong")
    beside = DIST / f"openqms-{__version__}-manifest.json"
    beside.write_text(made.to_json(), encoding="utf-8")
    sbom = DIST / f"openqms-{__version__}-sbom.cdx.json"
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "venv"
        venv.create(target, with_pip=True)
        # The documented production install (docs/admin-guide.md, "Production install").
        run(python_of(target), "-m", "pip", "install", "-q", "--require-hashes", "-r", LOCK)
        run(python_of(target), "-m", "pip", "install", "-q", "--no-deps", wheel)
        run(
            TOOLS / "bin" / "cyclonedx-py",
            "environment",
            "--pyproject",
            "pyproject.toml",
            "--mc-type",
            "application",
            "--of",
            "JSON",
            "--output-file",
            sbom,
            python_of(target),
        )
    print(
        f"release {__version__}: {wheel.name}, {beside.name} ({len(made.files)} files), {sbom.name}"
    )


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["lock"]:
            lock()
        case []:
            release()
        case _:
            sys.exit(__doc__)
