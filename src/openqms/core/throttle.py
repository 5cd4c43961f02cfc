"""Sign-in throttling per client address and per account, in the cache.

Each sign-in is counted *before* its password is checked, in two counters per window of
OPENQMS_THROTTLE_MINUTES:
- per address: at most OPENQMS_THROTTLE_ATTEMPTS, whatever usernames it types;
- per account (the typed username, from any address): one fewer than the lockout
  threshold. A burst on one account, from one address or from many, gets 429 for the
  rest of the window instead of locking the account: a handful of requests cannot lock
  an administrator out. The account lockout in the database (Part 11 §11.300(d)) stays
  the hard limit; failures reach it only across windows (or through signing passwords).

An attempt over a limit is refused: nothing is checked, and its count is given back at
once. A right password gives its count back too, so the counters hold failures (and
attempts still being checked). The counters are advisory (a cache may forget them).

The count is taken before the check, so overlapping requests cannot all pass a read of
the counter. Local-memory and Redis caches increment atomically; the file cache does
not, so with it each count is taken under an exclusive lock on a file next to the cache:
atomic among the workers of one host. Each host counts separately.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: one process, the thread lock only
    fcntl = None  # type: ignore[assignment]

_PREFIX = "openqms:throttle"
_FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
_thread_lock = threading.Lock()


@dataclass(frozen=True)
class Claim:
    """One counted attempt: `refused` names the limit it went over ('address' or
    'account', and then nothing stays counted); `keys` are the counters it holds."""

    refused: str = ""
    count: int = 0
    keys: tuple[str, ...] = ()


def _window() -> int:
    return int(timezone.now().timestamp() // (settings.THROTTLE_MINUTES * 60))


def _ttl() -> int:
    return settings.THROTTLE_MINUTES * 60 + 5


def _key(*parts: str) -> str:
    # Cache keys must be short and plain; a typed username can be anything.
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"{_PREFIX}:{_window()}:{digest}"


def _per_account_limit() -> int:
    return max(1, settings.LOCKOUT_THRESHOLD - 1)


def _name(username: str) -> str:
    return username.strip().lower()


@contextlib.contextmanager
def _serialized() -> Iterator[None]:
    """Count atomically on this host (the file cache's get-and-set is not atomic)."""
    with _thread_lock:
        config = settings.CACHES["default"]
        if config["BACKEND"] != _FILE_CACHE or fcntl is None:
            yield
            return
        directory = Path(config["LOCATION"])
        directory.mkdir(parents=True, exist_ok=True)
        # Not a *.djcache file: the cache's clear() and culling leave it alone.
        with open(directory / "throttle.lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)


def _incr(key: str) -> int:
    if cache.add(key, 1, _ttl()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _ttl())
        return 1


def _decr(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired or forgotten: nothing to give back
        if cache.decr(key) < 0:
            cache.set(key, 0, _ttl())


def claim(ip: str, username: str) -> Claim:
    """Count one sign-in attempt before anything is checked; refuse it over a limit."""
    if not ip:
        return Claim()  # the command line and tests without a request: nothing to throttle
    limits = (
        ("address", _key("ip", ip), settings.THROTTLE_ATTEMPTS),
        ("account", _key("account", _name(username)), _per_account_limit()),
    )
    taken: list[str] = []
    with _serialized():
        for kind, key, limit in limits:
            count = _incr(key)
            taken.append(key)
            if count > limit:
                for held in taken:
                    _decr(held)
                return Claim(refused=kind, count=count - 1)
    return Claim(keys=tuple(taken))


def release(held: Claim) -> None:
    """The password was right (or nothing was checked): give the count back."""
    if not held.keys:
        return
    with _serialized():
        for key in held.keys:
            _decr(key)


def first_in_window(kind: str, *parts: str) -> bool:
    """True once per kind, address (or account) and window: for one aggregated event."""
    return cache.add(_key("once", kind, *parts), 1, _ttl())
