"""What a reviewer of a suspect link is shown: which end changed, from which version to
which since the link was last valid, and the word-level difference of its text between
those versions (document control's public comparison, documents.redline.compare_text).

An item's past texts are not stored as rows: each edit's audit event holds the text
before and after it (and an import writes version 1 with the project's import event),
so the text at an earlier version is found by walking the edits back from today's text.
One query for every suspect link on a page."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openqms.core.models import AuditEvent
from openqms.design.models import Item, Link, LinkState
from openqms.documents.redline import Segment, compare_text


@dataclass(frozen=True)
class Review:
    uid: str
    old_version: int
    new_version: int
    # The text's words kept, removed and added; None when the trail cannot tell the
    # earlier text (a link made suspect before this was recorded, say).
    text: list[Segment] | None

    @property
    def sentence(self) -> str:
        return (
            f"{self.uid} changed from version {self.old_version} to version "
            f"{self.new_version} since this link was last reviewed"
        )

    @property
    def text_changed(self) -> bool:
        return any(s.kind != "same" for s in self.text or [])


def texts_by_version(items: Iterable[Item]) -> dict[int, dict[int, str]]:
    """{item pk: {version: text}} for every version the trail can tell (one query)."""
    items = list(items)
    edits: dict[str, list[dict]] = defaultdict(list)
    for object_id, changes in (
        AuditEvent.objects.filter(
            action="design.item.edited",
            object_type="design.item",
            object_id__in=[str(i.pk) for i in items],
        )
        .order_by("-seq")
        .values_list("object_id", "changes")
    ):
        edits[object_id].append(json.loads(changes))
    out: dict[int, dict[int, str]] = {}
    for item in items:
        text, known = item.text, {item.version: item.text}
        for change in edits[str(item.pk)]:  # newest first
            before = change.get("version", [None])[0]
            if not isinstance(before, int):
                continue
            if "text" in change:
                text = change["text"][0]
            known.setdefault(before, text)
        out[item.pk] = known
    return out


def reviews(links: Iterable[Link]) -> dict[int, Review]:
    """{link pk: Review} for the suspect links among `links` (their ends loaded)."""
    suspect = [link for link in links if link.state == LinkState.SUSPECT and link.changed_end]
    ends = {link.pk: getattr(link, link.changed_end) for link in suspect}
    texts = texts_by_version({item.pk: item for item in ends.values()}.values())
    out = {}
    for link in suspect:
        end = ends[link.pk]
        old = link.changed_from or max(end.version - 1, 1)
        was = texts[end.pk].get(old)
        diff = compare_text(was, end.text) if was is not None else None
        out[link.pk] = Review(end.uid, old, end.version, diff)
    return out
