"""What a record answers about the procedures it follows, so a module that cares (the
training gate: whoever signs must be trained on them) asks the record, never another
module's model classes.

A record declares `governing_document_ids()`: the primary keys of the controlled
documents whose procedures it is done to or under. A record that declares nothing
follows none (its signatures are not gated by any procedure's training).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class GovernedRecord(Protocol):
    def governing_document_ids(self) -> Collection[int]: ...


def governing_document_ids(obj: Any) -> list[int]:
    """The documents `obj` follows, in the order it names them; none if it declares none."""
    if isinstance(obj, GovernedRecord):
        return list(obj.governing_document_ids())
    return []
