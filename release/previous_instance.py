#!/usr/bin/env python3
"""Make the upgrade test's instance: what the previous release wrote, as a customer has it.

    python3 release/previous_instance.py        writes tests/validation/data/instance-0.1.0.zip

Installs release 0.1.0 (tag v0.1.0, commit 03a285f) from this repository's history into
a throwaway virtual environment (its dependencies from PyPI), runs its `openqms demo
--no-serve` on an empty data folder, and zips that folder: the SQLite database (users,
documents approved and in force, training completed by signature, quiz and session,
competence records: an audit chain of about 200 events), the file store and the demo's
secret key file. tests/validation/test_upgrade_from_the_previous_release.py migrates a
copy with this release's code and checks the chain, `openqms verify` and the upgrade
event. Run again (and commit the zip) when a new release becomes "the previous one".
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASE, COMMIT = "0.1.0", "03a285f78b2284c021eda98ae5b3fad81d68e21b"
OUT = ROOT / "tests" / "validation" / "data" / f"instance-{RELEASE}.zip"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        archive = subprocess.run(
            ["git", "archive", COMMIT, "src", "pyproject.toml", "README.md"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
            tree.extractall(work / "tree", filter="data")
        venv.create(work / "venv", with_pip=True)
        python = work / "venv" / "bin" / "python"
        subprocess.run([python, "-m", "pip", "install", "-q", work / "tree"], check=True)
        data = work / "data"
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "OPENQMS_DATA_DIR": str(data)}
        subprocess.run([python, "-m", "openqms", "demo", "--no-serve"], env=env, check=True)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
            for path in sorted(data.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(data).as_posix())
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    main()
