"""What other modules hear from document control.

`on_effective(callback)` registers `callback(revision, actor)`, called inside the
transaction that makes a revision effective, so what it writes (training assignments,
say) commits or rolls back with it; `on_withdrawn(callback)` registers
`callback(document, actor, reason)`, called inside the transaction that withdraws a
document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EffectiveCallback = Callable[[Any, Any], None]
WithdrawnCallback = Callable[[Any, Any, str], None]
_effective: list[EffectiveCallback] = []
_withdrawn: list[WithdrawnCallback] = []


def on_effective(callback: EffectiveCallback) -> EffectiveCallback:
    if callback not in _effective:
        _effective.append(callback)
    return callback


def revision_became_effective(revision, actor) -> None:
    for callback in list(_effective):
        callback(revision, actor)


def on_withdrawn(callback: WithdrawnCallback) -> WithdrawnCallback:
    if callback not in _withdrawn:
        _withdrawn.append(callback)
    return callback


def document_withdrawn(document, actor, reason: str) -> None:
    for callback in list(_withdrawn):
        callback(document, actor, reason)
