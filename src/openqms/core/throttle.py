"""Sign-in throttling per client address and per account, in the cache.

Two counters per window of OPENQMS_THROTTLE_MINUTES, both counting failed sign-ins:
- per address: more than OPENQMS_THROTTLE_ATTEMPTS failures and the address gets 429
  for the rest of the window, whatever username it types;
- per address and username: one fewer than the lockout threshold, so a single address
  is slowed down before it can lock the account. Locking someone out (Part 11
  §11.300(d)) then takes failures from several addresses, and a stranger cannot lock an
  administrator out with five requests.

Refused requests check no password and count toward nothing. The counters are advisory
(a cache may forget them); the account lockout in `actions.auth` is the hard limit.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

_PREFIX = "openqms:throttle"


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


def is_throttled(ip: str, username: str) -> bool:
    if not ip:
        return False  # the command line and tests without a request: nothing to throttle
    name = username.strip().lower()
    return (
        cache.get(_key("ip", ip), 0) >= settings.THROTTLE_ATTEMPTS
        or cache.get(_key("pair", ip, name), 0) >= _per_account_limit()
    )


def _incr(key: str) -> int:
    if cache.add(key, 1, _ttl()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _ttl())
        return 1


def count_failure(ip: str, username: str) -> int:
    """Count one failed sign-in; return the address's failures in this window."""
    if not ip:
        return 0
    _incr(_key("pair", ip, username.strip().lower()))
    return _incr(_key("ip", ip))


def failures_from(ip: str) -> int:
    return cache.get(_key("ip", ip), 0) if ip else 0


def first_in_window(kind: str, ip: str) -> bool:
    """True once per address, kind and window: for the one aggregated audit event."""
    return cache.add(_key("once", kind, ip), 1, _ttl())
