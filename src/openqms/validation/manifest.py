"""The release manifest: the SHA-256 of every file a release's wheel installs.

`release/build.py` makes it from the built wheel (`from_wheel`) and ships it beside the
wheel and inside the package (`PACKAGED`), where IQ finds it by default. IQ compares it
with the files on disk (`compare`). `from_directory` hashes an installed tree the same
way (tests make a manifest of their own environment with it).

Paths are as the wheel names them, relative to the folder the package is installed in
(site-packages): `openqms/core/api.py`. The manifest does not list itself, nor the
wheel's RECORD (which lists the manifest), nor what pip adds at install time
(INSTALLER, REQUESTED, direct_url.json, compiled `__pycache__`).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGED = Path(__file__).parent / "data" / "release-manifest.json"
SELF = "openqms/validation/data/release-manifest.json"
FORMAT = "openqms-release-manifest/1"
_PIP_ADDS = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


class ManifestError(Exception):
    """A manifest file that cannot be read: the message says why."""


@dataclass(frozen=True)
class Manifest:
    version: str
    files: dict[str, str]  # path -> sha256 hex

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "version": self.version,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(body, indent=1) + "\n"


@dataclass
class Comparison:
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def _listed(path: str) -> bool:
    """Whether a file of the wheel or of an installed tree belongs in the manifest."""
    parts = path.split("/")
    if path == SELF or "__pycache__" in parts or path.endswith(".pyc"):
        return False
    return not (parts[0].endswith(".dist-info") and parts[-1] in _PIP_ADDS)


def digest(chunks: Iterable[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(chunk)
    return sha.hexdigest()


def _chunks(read) -> Iterator[bytes]:
    while chunk := read(1 << 16):
        yield chunk


def from_wheel(wheel: Path, version: str) -> Manifest:
    files = {}
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir() or not _listed(info.filename):
                continue
            with archive.open(info) as member:
                files[info.filename] = digest(_chunks(member.read))
    return Manifest(version, files)


def _hash_file(path: Path) -> str:
    with path.open("rb") as handle:
        return digest(_chunks(handle.read))


def _tree(root: Path, package: str) -> Iterator[str]:
    for path in sorted((root / package).rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            if _listed(relative):
                yield relative


def from_directory(root: Path, version: str, package: str = "openqms") -> Manifest:
    """A manifest of the package folder `root/package` as it is on disk."""
    return Manifest(version, {name: _hash_file(root / name) for name in _tree(root, package)})


def compare(manifest: Manifest, root: Path, package: str = "openqms") -> Comparison:
    """Every listed file present with its hash, and no unlisted file in the package."""
    result = Comparison()
    for name, expected in sorted(manifest.files.items()):
        path = root / name
        result.checked += 1
        if not path.is_file():
            result.missing.append(name)
        elif _hash_file(path) != expected:
            result.changed.append(name)
    result.extra = [name for name in _tree(root, package) if name not in manifest.files]
    return result


def read(path: Path) -> Manifest:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"cannot read the manifest {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ManifestError(f"the manifest {path} is not JSON: {exc}") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ManifestError(f"{path} is not an OpenQMS release manifest (format {FORMAT})")
    files = body.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise ManifestError(f"the manifest {path} has no valid 'files' mapping")
    return Manifest(str(body.get("version", "")), files)
