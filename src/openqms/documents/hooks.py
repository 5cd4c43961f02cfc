"""What other modules hear from document control.

`on_effective(callback)` registers `callback(revision, actor)`, called inside the
transaction that makes a revision effective, so what it writes (training assignments,
say) commits or rolls back with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EffectiveCallback = Callable[[Any, Any], None]
_effective: list[EffectiveCallback] = []


def on_effective(callback: EffectiveCallback) -> EffectiveCallback:
    if callback not in _effective:
        _effective.append(callback)
    return callback


def revision_became_effective(revision, actor) -> None:
    for callback in list(_effective):
        callback(revision, actor)
