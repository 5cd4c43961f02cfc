"""The hooks document control offers other modules (declared in documents/module.py).

A module listens by naming the hook in its own module.py (`listens={...}`); core calls
the listeners, so a listener never imports this file:

- `documents.revision_effective`: `listener(revision, actor)`, called inside the
  transaction that makes a revision effective, so what it writes (training assignments,
  say) commits or rolls back with it;
- `documents.document_withdrawn`: `listener(document, actor, reason)`, called inside the
  transaction that withdraws a document.
"""

from __future__ import annotations

from openqms.core import modules

REVISION_EFFECTIVE = "documents.revision_effective"
DOCUMENT_WITHDRAWN = "documents.document_withdrawn"


def revision_became_effective(revision, actor) -> None:
    modules.fire(REVISION_EFFECTIVE, revision, actor)


def document_withdrawn(document, actor, reason: str) -> None:
    modules.fire(DOCUMENT_WITHDRAWN, document, actor, reason)
