"""The lock file: the runtime dependencies pinned to exact versions, with hashes.

`release/build.py lock` writes it with pip-tools (`pip-compile --generate-hashes`); the
production install uses it (`pip install --require-hashes -r requirements.lock`); it
ships inside the package (`PACKAGED`) so IQ can compare what is installed with it.
Only the pins are read here (`name==version`); pip checks the hashes at install time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGED = Path(__file__).parent / "data" / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


class LockError(Exception):
    """A lock file that cannot be read or holds a line that is not a pin."""


def normalise(name: str) -> str:
    """PEP 503: Django, django and DJANGO name one project; so do a_b, a-b and a.b."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(text: str, source: str = "lock file") -> dict[str, str]:
    """{normalised name: version} from pip-compile output (or any `name==version` list)."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "--")):
            continue  # comments, hash continuation lines, options
        match = _PIN.match(line)
        if not match:
            raise LockError(f"{source} line {number}: {raw.strip()!r} is not a `name==version` pin")
        pins[normalise(match.group(1))] = match.group(2)
    if not pins:
        raise LockError(f"{source} pins nothing")
    return pins


def read(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LockError(f"cannot read the lock file {path}: {exc.strerror or exc}") from None
    return parse(text, str(path))


def installed() -> dict[str, str]:
    """{normalised name: version} of every distribution the running Python sees."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(normalise(name), dist.version)
    return found


@dataclass(frozen=True)
class Difference:
    name: str
    locked: str
    installed: str  # "" when not installed


def differences(pins: dict[str, str], present: dict[str, str]) -> list[Difference]:
    return [
        Difference(name, version, present.get(name, ""))
        for name, version in sorted(pins.items())
        if present.get(name) != version
    ]
