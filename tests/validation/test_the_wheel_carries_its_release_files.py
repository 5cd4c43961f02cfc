"""The wheel a release is built from carries the lock file, and the manifest made from
it (the release script's code) holds the same hashes as the files it was built from."""

import shutil
import subprocess
import sys
import zipfile

import pytest

from openqms import __version__
from openqms.validation import iq, manifest

ROOT = iq.package_root().parent


@pytest.mark.verifies("VAL-013", "VAL-014")
@pytest.mark.skipif(
    not (ROOT / "src" / "openqms").is_dir(),
    reason="builds a wheel from the source checkout: a release check the vendor's CI runs "
    "(an installed instance is checked against the manifest by IQ-02)",
)
def test_the_built_wheel_ships_the_lock_and_its_manifest_matches_the_source(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(tree),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("openqms-*.whl")

    made = manifest.from_wheel(wheel, __version__)
    source = manifest.from_directory(tree / "src", __version__)

    assert "openqms/validation/data/requirements.lock" in made.files
    package = {k: v for k, v in made.files.items() if k.startswith("openqms/")}
    assert {k: source.files.get(k) for k in package} == package
    assert any(k.endswith(".dist-info/METADATA") for k in made.files)
    with zipfile.ZipFile(wheel) as archive:
        assert len(made.files) == len(archive.namelist()) - 1  # all but RECORD
